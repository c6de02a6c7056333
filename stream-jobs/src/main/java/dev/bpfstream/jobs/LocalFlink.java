package dev.bpfstream.jobs;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * Settings for a Flink MiniCluster on this host. A MiniCluster binds every interface unless told
 * otherwise; ours listens on loopback only.
 */
public final class LocalFlink {
  private LocalFlink() {
  }

  public static Configuration loopbackConfiguration() {
    Configuration c = new Configuration();
    c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    c.set(RestOptions.ADDRESS, "127.0.0.1");
    c.set(RestOptions.BIND_PORT, "0");
    c.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
    c.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    c.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    c.set(TaskManagerOptions.HOST, "127.0.0.1");
    // Records and state use Flink's own or our serializers; a Kryo fallback is a bug.
    c.set(PipelineOptions.GENERIC_TYPES, false);
    return c;
  }
}

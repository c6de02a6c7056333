package dev.bpfstream.jobs;

import java.time.Duration;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink environment of a job. Run with {@code java -jar} it is a MiniCluster on loopback; run
 * with {@code flink run} it is the cluster's, and the loopback settings (cluster-level options) have
 * no effect on the submitted job.
 */
public final class JobEnvironment {
  private JobEnvironment() {
  }

  public static Configuration configuration(JobSettings s) {
    Configuration c = LocalFlink.loopbackConfiguration();
    c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, s.checkpointInterval());
    c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    // Operators copy what they keep; chained records are handed on without a serializer copy.
    c.set(PipelineOptions.OBJECT_REUSE, true);
    c.set(PipelineOptions.GENERIC_TYPES, false);
    c.set(CoreOptions.DEFAULT_PARALLELISM, s.parallelism());
    if (s.bounded()) {
      // A bounded run reports its throughput from the job's accumulators, which reach the client
      // with the TaskManager's heartbeat (10 s by default): too coarse to tell start-up from steady state.
      c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
    }
    return c;
  }

  public static StreamExecutionEnvironment create(JobSettings s, Configuration extra) {
    Configuration c = configuration(s);
    c.addAll(extra);
    return StreamExecutionEnvironment.getExecutionEnvironment(c);
  }
}

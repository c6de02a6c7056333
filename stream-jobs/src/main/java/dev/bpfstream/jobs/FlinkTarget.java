package dev.bpfstream.jobs;

import java.net.URISyntaxException;
import java.nio.file.Path;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a command runs its job: a Flink cluster's JobManager given as host:port, or else the
 * environment Flink provides (the cluster under {@code flink run}, a loopback MiniCluster otherwise).
 */
public final class FlinkTarget {
  private FlinkTarget() {
  }

  /** @param jobManager host:port of a JobManager's REST endpoint, or null */
  public static StreamExecutionEnvironment environment(String jobManager) {
    return environment(jobManager, LocalFlink.loopbackConfiguration());
  }

  /**
   * @param jobManager host:port of a JobManager's REST endpoint, or null
   * @param conf       the job's configuration (with the loopback settings for a local MiniCluster)
   */
  public static StreamExecutionEnvironment environment(String jobManager, Configuration conf) {
    if (jobManager == null || jobManager.isBlank()) {
      return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }
    int colon = jobManager.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--jobmanager must be host:port, e.g. 127.0.0.1:8081, not '" + jobManager + "'");
    }
    String host = jobManager.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(jobManager.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--jobmanager port must be a number, not '" + jobManager.substring(colon + 1) + "'");
    }
    String jar = ownJar();
    if (jar == null) {
      throw new IllegalArgumentException("--jobmanager needs the jobs jar (run through ./bpfstream or java -jar bpfstream-stream-jobs.jar)");
    }
    return StreamExecutionEnvironment.createRemoteEnvironment(host, port, conf, jar);
  }

  /**
   * Whether this process runs a job's main method for a cluster: under {@code flink run} or a REST
   * jar run in the JobManager, Flink has put its own execution environment in place of the local one.
   */
  public static boolean insideCluster() {
    return !(StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment);
  }

  /** The jar these classes were loaded from, or null when they come from a directory (tests, IDE). */
  public static String ownJar() {
    try {
      Path p = Path.of(FlinkTarget.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p.toString().endsWith(".jar") ? p.toString() : null;
    } catch (URISyntaxException | SecurityException e) {
      return null;
    }
  }
}

package dev.bpfstream.jobs.testing;

import dev.bpfstream.jobs.LocalFlink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster every job test runs on: loopback only, generic types (Kryo) off. */
public final class FlinkCluster {
  private FlinkCluster() {
  }

  public static MiniClusterExtension extension() {
    return extension(LocalFlink.loopbackConfiguration());
  }

  /** With {@code slots} task slots (the default parallelism of the jobs it runs). */
  public static MiniClusterExtension withSlots(int slots) {
    return extension(LocalFlink.loopbackConfiguration(), slots);
  }

  /** The same, its metrics reported to {@code metrics}. */
  public static MiniClusterExtension extension(InMemoryReporter metrics) {
    return extension(metrics.addToConfiguration(LocalFlink.loopbackConfiguration()));
  }

  private static MiniClusterExtension extension(Configuration c) {
    return extension(c, 4);
  }

  private static MiniClusterExtension extension(Configuration c, int slots) {
    return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
        .setConfiguration(c)
        .setNumberTaskManagers(1)
        .setNumberSlotsPerTaskManager(slots)
        .build());
  }
}

package dev.bpfstream.jobs.testing;

import dev.bpfstream.jobs.LocalFlink;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster every job test runs on: loopback only, generic types (Kryo) off. */
public final class FlinkCluster {
  private FlinkCluster() {
  }

  public static MiniClusterExtension extension() {
    return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
        .setConfiguration(LocalFlink.loopbackConfiguration())
        .setNumberTaskManagers(1)
        .setNumberSlotsPerTaskManager(4)
        .build());
  }
}

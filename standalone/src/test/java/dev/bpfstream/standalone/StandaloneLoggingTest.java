package dev.bpfstream.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's log configuration (bpfstream-log4j2.xml, what bpfstream.log is written with), in a
 * logger context of its own: Flink's collision of the committer's pendingCommittables gauge with
 * itself (FLINK-35321, once per Kafka sink per checkpoint) stays out of the log, other metric
 * collisions and warnings stay in.
 */
class StandaloneLoggingTest {
  /** As Flink 2.2's AbstractMetricGroup writes it, through the logger of MetricGroup. */
  private static String collision(String metric) {
    return "Name collision: Group already contains a Metric with the name '" + metric
        + "'. Metric will not be reported.[, taskmanager, 7943, committed-offsets, workload summaries: Committer, 0]";
  }

  @Test
  void thePendingCommittablesCollisionIsDroppedAndOtherWarningsKept(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bpfstream.log");
    String before = System.getProperty("bpfstream.log.file");
    System.setProperty("bpfstream.log.file", file.toString());
    LoggerContext ctx = new LoggerContext("bpfstream-log-test");
    try {
      ctx.setConfigLocation(URI.create("classpath:bpfstream-log4j2.xml"));
      Logger metrics = ctx.getLogger("org.apache.flink.metrics.MetricGroup");
      metrics.warn(collision("pendingCommittables"));
      metrics.warn(collision("numRecordsIn"));
      ctx.getLogger("org.apache.flink.runtime.taskmanager.Task").warn("a task warning");
    } finally {
      ctx.stop();
      if (before == null) {
        System.clearProperty("bpfstream.log.file");
      } else {
        System.setProperty("bpfstream.log.file", before);
      }
    }
    String log = Files.readString(file);
    assertThat(log).doesNotContain("pendingCommittables")
        .contains("with the name 'numRecordsIn'")
        .contains("a task warning");
  }
}

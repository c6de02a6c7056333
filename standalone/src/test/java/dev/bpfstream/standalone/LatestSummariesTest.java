package dev.bpfstream.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import dev.bpfstream.event.CommandEntry;
import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.Log2Histogram;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.Severity;
import dev.bpfstream.event.TopEntry;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.schema.TrustedRecords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LatestSummariesTest {
  static final long WINDOW = 10_000_000_000L;
  static final long T0 = 1_767_225_600_000_000_000L;
  static final Instant NOW = Instant.ofEpochSecond(1_767_225_620L);

  @BeforeAll
  static void trustOurRecords() {
    TrustedRecords.install(); // Avro builders of records with nested records check it
  }

  @Test
  void aBurstOfShortLivedProcessesIsOneCommandWithItsProcessCount() {
    LatestSummaries view = new LatestSummaries(WINDOW);
    List<TopEntry> processes = new ArrayList<>();
    for (int pid = 2000; pid < 2030; pid++) {
      processes.add(new TopEntry("true/" + pid, 2L, 0L, 0L));
    }
    view.accept(workload("web-1", 9.0, List.of(new CommandEntry("true", "/usr/bin/true", 30L, 60L, 0L, 0L),
        new CommandEntry("python3", "/opt/app/bin/worker", 1L, 25L, 0L, 0L),
        new CommandEntry("kafka-producer-", "", 1L, 5L, 0L, 0L)), processes));

    List<String> frame = view.frame("bpfstream up", NOW, Integer.MAX_VALUE);
    assertThat(frame.get(0)).isEqualTo("bpfstream up   00:00:20 UTC   (Ctrl-C stops)");
    assertThat(frame).anyMatch(l -> l.startsWith("  HOST       web-1") && l.endsWith("true x30 (60)  python3[worker] (25)  kafka-producer- (5)"));
    assertThat(String.join("\n", frame)).doesNotContain("true/20");
  }

  @Test
  void aFrameFitsTheRowsThereAreAndEachSectionSaysHowManyRowsItShows() {
    LatestSummaries view = new LatestSummaries(WINDOW);
    for (int i = 0; i < 12; i++) {
      view.accept(workload("host-" + i, 100 - i, List.of(new CommandEntry("sh", "/bin/sh", 2L, 4L, 0L, 0L)), List.of()));
    }
    for (int i = 0; i < 14; i++) {
      view.accept(latency("vd" + (char) ('a' + i)));
    }
    view.accept(Alert.newBuilder().setAlertId("a1").setRuleId("runq-p99").setState(AlertState.FIRING).setSeverity(Severity.WARNING)
        .setSubject("runq on host-0").setMessage("p99 high\nfor 3 windows").setWindowStartNs(T0).setWindowEndNs(T0 + WINDOW)
        .setFirstSeenNs(T0).setLastSeenNs(T0).build());

    List<String> all = view.frame("h", NOW, Integer.MAX_VALUE);
    assertThat(all).hasSize(2 + 3 + (1 + 1 + 12 + 1) + (1 + 14 + 1) + 2);

    List<String> fitted = view.frame("h", NOW, 24);
    assertThat(fitted).hasSize(24);
    assertThat(fitted).contains("COLLECTOR", "  (no health report yet)", "ALERTS",
        "  WARNING  runq-p99                     runq on host-0                 p99 high for 3 windows");
    assertThat(fitted).anyMatch(l -> l.startsWith("TOP WORKLOADS (who / what, last window)   [") && l.contains(" of 12; a taller terminal shows more]"));
    assertThat(fitted).anyMatch(l -> l.startsWith("LATENCY (p50 / p90 / p99 / max)   [") && l.contains(" of 14;"));
    assertThat(fitted).anyMatch(l -> l.startsWith("  HOST       host-0 "));

    List<String> tiny = view.frame("h", NOW, 13);
    assertThat(tiny).hasSize(13).contains("TOP WORKLOADS (who / what, last window)", "  (12 not shown: the terminal is too small)")
        .anyMatch(l -> l.startsWith("  WARNING  runq-p99"));
  }

  static WorkloadSummary workload(String host, double eventsPerS, List<CommandEntry> commands, List<TopEntry> processes) {
    return WorkloadSummary.newBuilder().setWindowStartNs(T0).setWindowEndNs(T0 + WINDOW).setWindowSizeNs(WINDOW)
        .setScope(Scope.HOST).setHostId(host).setHostname(host).setFigures(Map.of("events_per_s", eventsPerS))
        .setTopProcesses(processes).setTopCommands(commands).build();
  }

  static LatencySummary latency(String device) {
    return LatencySummary.newBuilder().setWindowStartNs(T0).setWindowEndNs(T0 + WINDOW)
        .setKind(LatencyKind.BLOCK_IO).setScope(Scope.HOST).setHostId("host-0").setHostname("host-0").setDimension("device")
        .setDimensionValue(device).setCount(100).setP50Ns(1000).setP90Ns(2000).setP99Ns(3000).setP999Ns(4000).setMaxNs(5000)
        .setMeanNs(1500.0).setHistogram(new Log2Histogram(new ArrayList<>(Collections.nCopies(64, 0L)), 100L, 0L)).build();
  }
}

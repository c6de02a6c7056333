package dev.bpfstream.jobs.alert;

import static dev.bpfstream.jobs.alert.Records.MS;
import static dev.bpfstream.jobs.alert.Records.SECOND;
import static dev.bpfstream.jobs.alert.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import dev.bpfstream.event.CommandEntry;
import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.Severity;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import dev.bpfstream.jobs.alert.rule.RulesParser;
import dev.bpfstream.jobs.alert.rule.SummaryRule;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {
  static final long W = 10 * SECOND;

  final RuleSet rules;
  final AlertLifecycle lifecycle;

  AlertLifecycleTest() throws Exception {
    rules = RulesParser.parse("test.yaml", """
        rules:
          - id: blockio-p99
            kind: threshold
            severity: critical
            source: latency
            where: {kind: block-io}
            figure: p99
            above: 50ms
            clear-below: 40ms
            clear-windows: 2
            update-every: 30s
          - id: runq-sustained
            kind: sustained
            source: latency
            where: {kind: runq}
            figure: p99
            above: 10ms
            windows: 3
          - id: exec-spike
            kind: rate-of-change
            source: workload
            where: {scope: container}
            figure: exec_per_s
            factor: 10
            baseline-windows: 3
            min-value: 5
          - id: retransmits
            kind: threshold
            source: workload
            figure: tcp_retransmits_per_s
            above: 100
          - id: ww
            kind: pattern
            pattern: exec-from-world-writable-dir
            update-every: 1m
            resolve-after: 2s
          - id: silent
            kind: absence
            silent-for: 1s
        """);
    lifecycle = new AlertLifecycle(rules);
  }

  /** Feeds observations through one state, as the tracker does for one alert id, and keeps what came out. */
  final class Feed {
    final TrackerState state = new TrackerState();
    final List<Alert> out = new ArrayList<>();
    long now = 1_000;

    Alert add(Observation o) {
      now += 10;
      AlertLifecycle.Step step = lifecycle.observe(o, state, now);
      if (step.alert() != null) {
        out.add(step.alert());
      }
      return step.alert();
    }

    List<AlertState> states() {
      return out.stream().map(Alert::getState).toList();
    }
  }

  Observation blockio(int window, double p99Ms) {
    return LatencyObservations.observe((SummaryRule) rules.rule("blockio-p99"),
        Records.latency(LatencyKind.BLOCK_IO, "web-1", "vda", T0 + window * W, W, Math.round(p99Ms * MS)));
  }

  Observation runq(int window, double p99Ms) {
    return LatencyObservations.observe((SummaryRule) rules.rule("runq-sustained"),
        Records.latency(LatencyKind.RUNQ, "web-1", "all", T0 + window * W, W, Math.round(p99Ms * MS)));
  }

  Observation execRate(int window, double perSecond) {
    WorkloadSummary s = Records.workload(Scope.CONTAINER, "web-1", "c0ffee", T0 + window * W, W, Map.of("exec_per_s", perSecond));
    s.setTopCommands(List.of(new CommandEntry("sh", "/bin/sh", 20L, 40L, 0L, 0L)));
    return WorkloadObservations.observe((SummaryRule) rules.rule("exec-spike"), s, perSecond);
  }

  @Test
  void thresholdFiresAboveTheLimitOnlyAndCarriesTheAlertFields() {
    Feed f = new Feed();
    assertThat(f.add(blockio(0, 49.9))).isNull();
    assertThat(f.add(blockio(1, 50.0))).as("equal to the limit is not above it").isNull();
    Alert a = f.add(blockio(2, 73.2));
    assertThat(a.getState()).isEqualTo(AlertState.FIRING);
    assertThat(a.getAlertId()).isEqualTo("blockio-p99/latency=BLOCK_IO/scope=HOST/host=web-1/device=vda");
    assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
    assertThat(a.getHostId()).isEqualTo("web-1");
    assertThat(a.getValue()).isEqualTo(73.2e6);
    assertThat(a.getThreshold()).isEqualTo(50e6);
    assertThat(a.getWindowStartNs()).isEqualTo(T0 + 2 * W);
    assertThat(a.getWindowEndNs()).isEqualTo(T0 + 3 * W);
    assertThat(a.getFirstSeenNs()).isEqualTo(T0 + 2 * W);
    assertThat(a.getLastSeenNs()).isEqualTo(T0 + 3 * W);
    assertThat(a.getMessage()).isEqualTo("p99 73.2ms > 50ms on block-io device vda on host web-1");
    assertThat(a.getEvidence()).containsExactly("1000 samples: p50 7.32ms, p90 36.6ms, p99 73.2ms, p99.9 146.4ms, max 219.6ms");
  }

  @Test
  void whileItLastsUpdatesAreRateLimitedAndHysteresisHoldsItUntilClearWindowsBelowTheClearLevel() {
    Feed f = new Feed();
    f.add(blockio(0, 80));
    f.add(blockio(1, 90));       // 10 s after firing: no update yet (update-every 30 s)
    f.add(blockio(2, 45));       // under the limit but over clear-below 40ms: still firing, no update
    Alert update = f.add(blockio(3, 60));  // 30 s after the FIRING window end
    f.add(blockio(4, 39));       // 1st window below clear
    assertThat(f.states()).containsExactly(AlertState.FIRING, AlertState.UPDATE);
    assertThat(update.getMessage()).isEqualTo("still: p99 60ms > 50ms on block-io device vda on host web-1 (4 windows, worst 90ms)");
    assertThat(update.getFirstSeenNs()).isEqualTo(T0);
    assertThat(update.getLastSeenNs()).isEqualTo(T0 + 4 * W);
    Alert resolved = f.add(blockio(5, 20));  // 2nd window below clear (clear-windows 2)
    assertThat(resolved.getState()).isEqualTo(AlertState.RESOLVED);
    assertThat(resolved.getMessage()).isEqualTo("resolved: p99 20ms, below 40ms on block-io device vda on host web-1 (worst 90ms)");
    assertThat(f.add(blockio(6, 30))).isNull();
    assertThat(f.add(blockio(7, 51)).getState()).as("a new episode fires again").isEqualTo(AlertState.FIRING);
  }

  @Test
  void aWindowBelowClearInterruptedByAHitDoesNotResolve() {
    Feed f = new Feed();
    f.add(blockio(0, 80));
    f.add(blockio(1, 10));
    f.add(blockio(2, 45));  // back above clear-below: the count of clear windows starts over
    f.add(blockio(3, 10));
    assertThat(f.states()).containsExactly(AlertState.FIRING);
    f.add(blockio(4, 10));
    assertThat(f.states()).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
  }

  @Test
  void sustainedNeedsConsecutiveWindowsAndAGapStartsOver() {
    Feed f = new Feed();
    f.add(runq(0, 11));
    f.add(runq(1, 12));
    f.add(runq(2, 10));   // not above: the run stops at 2
    f.add(runq(3, 11));
    f.add(runq(4, 11));
    f.add(runq(6, 11));   // window 5 missing: a gap, the run starts over
    f.add(runq(7, 11));
    assertThat(f.out).isEmpty();
    Alert a = f.add(runq(8, 15));
    assertThat(a.getState()).isEqualTo(AlertState.FIRING);
    assertThat(a.getFirstSeenNs()).isEqualTo(T0 + 6 * W);
    assertThat(a.getMessage()).isEqualTo("p99 15ms > 10ms for 3 consecutive windows on runq on host web-1");
    f.add(runq(9, 1));
    assertThat(f.states()).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
  }

  @Test
  void rateOfChangeLearnsABaselineThenFiresAtTheFactor() {
    Feed f = new Feed();
    f.add(execRate(0, 2));
    f.add(execRate(1, 2));
    f.add(execRate(2, 40));  // still learning (baseline-windows 3): never judged
    assertThat(f.out).isEmpty();
    // baseline after 2, 2, 40 with alpha 0.5: 2 -> 2 -> 21
    assertThat(f.state.baseline).isEqualTo(21.0);
    f.add(execRate(3, 209));  // 9.95 x: just below the factor
    assertThat(f.out).isEmpty();
    double baseline = f.state.baseline;
    Alert a = f.add(execRate(4, baseline * 10));
    assertThat(a.getState()).isEqualTo(AlertState.FIRING);
    assertThat(a.getThreshold()).isEqualTo(baseline * 10);
    assertThat(a.getMessage()).startsWith("exec_per_s " + dev.bpfstream.options.Durations.trim(baseline * 10) + " is 10× its baseline");
    assertThat(a.getEvidence()).contains("command sh (/bin/sh): 20 processes, 40 events", "process sh: 40 events");
    assertThat(f.state.baseline).as("a firing window stays out of the baseline").isEqualTo(baseline);
    f.add(execRate(5, 3));
    assertThat(f.states()).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
  }

  @Test
  void rateOfChangeIgnoresValuesUnderMinValue() {
    Feed f = new Feed();
    f.add(execRate(0, 0.1));
    f.add(execRate(1, 0.1));
    f.add(execRate(2, 0.1));
    f.add(execRate(3, 4.9));  // 49x the baseline but under min-value 5
    assertThat(f.out).isEmpty();
  }

  @Test
  void anOutOfOrderWindowIsIgnoredAndReported() {
    Feed f = new Feed();
    f.add(blockio(3, 80));
    AlertLifecycle.Step step = lifecycle.observe(blockio(2, 10), f.state, 5_000);
    assertThat(step.outOfOrder()).isTrue();
    assertThat(step.alert()).isNull();
    assertThat(f.state.active).isTrue();
  }

  @Test
  void aWindowedAlertResolvesWhenItsSubjectGoesQuiet() {
    Feed f = new Feed();
    f.add(blockio(0, 80));
    assertThat(lifecycle.quietMs(f.state)).isEqualTo(3 * 10_000);  // stale-windows 3 x 10 s windows
    Alert a = lifecycle.quiet(f.state, f.now + 30_000);
    assertThat(a.getState()).isEqualTo(AlertState.RESOLVED);
    assertThat(a.getMessage()).isEqualTo("resolved: no summary for block-io device vda on host web-1 in 30s (stale-windows 3)");
    assertThat(a.getThreshold()).isEqualTo(50e6);
    assertThat(lifecycle.quiet(f.state, f.now + 60_000)).as("only once").isNull();
  }

  @Test
  void aPatternAlertFiresOnceCountsMatchesUpdatesAtMostEveryUpdateEveryAndResolvesWhenQuiet() {
    Feed f = new Feed();
    var rule = (dev.bpfstream.jobs.alert.rule.PatternRule) rules.rule("ww");
    List<Observation> hits = new ArrayList<>();
    var collect = new ListCollector<Observation>(hits);
    var patterns = new ExecPatterns(List.of(rule));
    for (int i = 0; i < 5; i++) {
      patterns.flatMap(Records.exec("web-1", null, 1000, "/tmp/x", 0755, 1000, 01777, T0 + i * 20 * SECOND), collect);
    }
    hits.forEach(f::add);
    // t = 0 fires; t = 20 s, 40 s: within update-every 1 m; t = 60 s: update; t = 80 s: within a minute of it
    assertThat(f.states()).containsExactly(AlertState.FIRING, AlertState.UPDATE);
    assertThat(f.out.get(1).getMessage()).endsWith("(4 matching events since first seen)");
    assertThat(f.out.get(1).getValue()).isEqualTo(4.0);
    assertThat(lifecycle.quietMs(f.state)).isEqualTo(2_000);
    Alert resolved = lifecycle.quiet(f.state, f.now + 2_000);
    assertThat(resolved.getState()).isEqualTo(AlertState.RESOLVED);
    assertThat(resolved.getFirstSeenNs()).isEqualTo(T0);
    assertThat(resolved.getLastSeenNs()).isEqualTo(T0 + 80 * SECOND);
    assertThat(resolved.getMessage()).isEqualTo("resolved: no matching event for 2s on /tmp in the host on host web-1");
  }

  @Test
  void anAbsenceAlertFiresOnSilenceAndResolvesWhenTheHostReports() {
    Feed f = new Feed();
    Observation silent = Observation.event("silent", "host=h", true, T0).where("h", "h", null, null, "collector on host h");
    silent.message = "no collector health from host h for 1s";
    Observation back = Observation.event("silent", "host=h", false, T0 + 5 * SECOND).where("h", "h", null, null, "collector on host h");
    back.message = "collector on host h reports again";
    f.add(silent);
    f.add(silent);
    f.add(back);
    f.add(back);
    assertThat(f.states()).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
    assertThat(f.out.get(1).getMessage()).isEqualTo("resolved: collector on host h reports again");
    assertThat(lifecycle.quietMs(f.state)).as("absence alerts do not time out").isZero();
  }

  /** A Flink Collector into a list. */
  record ListCollector<T>(List<T> list) implements org.apache.flink.util.Collector<T> {
    @Override
    public void collect(T record) {
      list.add(record);
    }

    @Override
    public void close() {
    }
  }
}

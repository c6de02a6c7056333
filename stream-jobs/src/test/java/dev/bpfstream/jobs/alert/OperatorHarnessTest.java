package dev.bpfstream.jobs.alert;

import static dev.bpfstream.jobs.alert.Records.MS;
import static dev.bpfstream.jobs.alert.Records.SECOND;
import static dev.bpfstream.jobs.alert.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import dev.bpfstream.jobs.alert.rule.RulesParser;
import dev.bpfstream.jobs.alert.rule.SummaryRule;
import dev.bpfstream.jobs.alert.rule.PatternSpec;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The keyed operators with Flink's test harness: state, keys and processing-time timers. */
class OperatorHarnessTest {
  final RuleSet rules;

  OperatorHarnessTest() throws Exception {
    rules = RulesParser.parse("test.yaml", """
        rules:
          - id: blockio-p99
            kind: threshold
            source: latency
            figure: p99
            above: 50ms
            stale-windows: 2
          - id: burst
            kind: pattern
            pattern: short-lived-burst
            per: container
            count: 5
            within: 1s
            max-lifetime: 100ms
          - id: setns
            kind: pattern
            pattern: setns-into-other-container
          - id: silent
            kind: absence
            silent-for: 2s
        """);
  }

  @Test
  void theTrackerResolvesAFiringAlertWhenItsSubjectStaysQuietAndDropsItsState() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, Observation, Alert> h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new AlertTracker(new AlertLifecycle(rules)), o -> o.alertId, Types.STRING)) {
      h.setProcessingTime(1_000);
      SummaryRule r = (SummaryRule) rules.rule("blockio-p99");
      h.processElement(LatencyObservations.observe(r, Records.latency(LatencyKind.BLOCK_IO, "h", "vda", T0, 1 * SECOND, 80 * MS)), 0);
      h.processElement(LatencyObservations.observe(r, Records.latency(LatencyKind.BLOCK_IO, "h", "vdb", T0, 1 * SECOND, 10 * MS)), 0);
      h.setProcessingTime(2_500);
      h.processElement(LatencyObservations.observe(r, Records.latency(LatencyKind.BLOCK_IO, "h", "vda", T0 + SECOND, SECOND, 90 * MS)), 0);
      h.setProcessingTime(3_100);   // vdb's 2 s passed (no alert to resolve); vda heard from at 2.5 s
      assertThat(h.extractOutputValues()).extracting(Alert::getState).containsExactly(AlertState.FIRING);
      assertThat(h.numKeyedStateEntries()).isEqualTo(1);
      h.setProcessingTime(4_500);
      List<Alert> out = h.extractOutputValues();
      assertThat(out).extracting(Alert::getState).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
      assertThat(out.get(1).getMessage()).startsWith("resolved: no summary for block-io device vda on host h in 2s");
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void theTrackerCountsAndIgnoresOutOfOrderWindows() throws Exception {
    AlertTracker tracker = new AlertTracker(new AlertLifecycle(rules));
    try (KeyedOneInputStreamOperatorTestHarness<String, Observation, Alert> h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        tracker, o -> o.alertId, Types.STRING)) {
      SummaryRule r = (SummaryRule) rules.rule("blockio-p99");
      h.processElement(LatencyObservations.observe(r, Records.latency(LatencyKind.BLOCK_IO, "h", "vda", T0 + SECOND, SECOND, 10 * MS)), 0);
      h.processElement(LatencyObservations.observe(r, Records.latency(LatencyKind.BLOCK_IO, "h", "vda", T0, SECOND, 90 * MS)), 0);
      assertThat(h.extractOutputValues()).as("the late 90 ms window would fire; it is ignored").isEmpty();
      h.processElement(LatencyObservations.observe(r, Records.latency(LatencyKind.BLOCK_IO, "h", "vda", T0 + 2 * SECOND, SECOND, 91 * MS)), 0);
      assertThat(h.extractOutputValues()).extracting(Alert::getFirstSeenNs).containsExactly(T0 + 2 * SECOND);
    }
  }

  @Test
  void aBurstNeedsCountShortLivedExitsWithinTheWindowPerContainer() throws Exception {
    var exits = new ShortLivedExits(rules.patternRules(PatternSpec.ShortLivedBurst.class));
    try (KeyedOneInputStreamOperatorTestHarness<String, ShortLivedExit, Observation> h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new BurstDetector(rules), x -> x.key, Types.STRING)) {
      java.util.List<ShortLivedExit> in = new java.util.ArrayList<>();
      var c = new AlertLifecycleTest.ListCollector<>(in);
      // container a: 4 short exits within 1 s (one short of the count), then a long-lived one (not counted)
      for (int i = 0; i < 4; i++) {
        exits.flatMap(Records.exit("h", "a", "true", 5 * MS, T0 + i * 100 * MS), c);
      }
      exits.flatMap(Records.exit("h", "a", "sleep", 100 * MS, T0 + 450 * MS), c);
      // container b: 5 short exits spread over 1.2 s: never 5 within 1 s
      for (int i = 0; i < 5; i++) {
        exits.flatMap(Records.exit("h", "b", "true", 5 * MS, T0 + i * 300 * MS), c);
      }
      for (ShortLivedExit x : in) {
        h.processElement(x, 0);
      }
      assertThat(h.extractOutputValues()).isEmpty();
      // the 5th short exit of container a, 900 ms after its first
      h.processElement(shortExit(exits, "a", T0 + 900 * MS), 0);
      List<Observation> out = h.extractOutputValues();
      assertThat(out).singleElement().satisfies(o -> {
        assertThat(o.alertId).isEqualTo("burst/host=h/container=a");
        assertThat(o.message).isEqualTo("5 processes that lived under 100ms exited within 900ms on container a on host h (limit 5 in 1s)");
        assertThat(o.evidence).contains("comm true: 5 exits");
      });
      // still bursting 500 ms later: not sent again within a second
      h.processElement(shortExit(exits, "a", T0 + 1_400 * MS), 0);
      assertThat(h.extractOutputValues()).hasSize(1);
    }
  }

  private static ShortLivedExit shortExit(ShortLivedExits exits, String container, long t) {
    java.util.List<ShortLivedExit> one = new java.util.ArrayList<>();
    exits.flatMap(Records.exit("h", container, "true", 5 * MS, t), new AlertLifecycleTest.ListCollector<>(one));
    return one.get(0);
  }

  @Test
  void setnsIntoAnotherContainersNamespaceMatchesAndIntoOnesOwnDoesNot() throws Exception {
    SetnsTargets fn = new SetnsTargets(rules.patternRules(PatternSpec.SetnsIntoOtherContainer.class));
    try (KeyedTwoInputStreamOperatorTestHarness<String, NamespaceChange, NamespaceMetadata, Observation> h =
             ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(fn, c -> c.getCtx().getHostId(), NamespaceMetadata::getHostId, Types.STRING)) {
      h.processElement2(Records.namespace("h", NamespaceKind.NET, 100L, "web", T0), 0);
      h.processElement2(Records.namespace("h", NamespaceKind.NET, 200L, "db", T0), 0);
      h.processElement2(Records.namespace("h", NamespaceKind.NET, Records.HOST_NET, null, T0), 0);
      h.processElement2(Records.namespace("other-host", NamespaceKind.NET, 300L, "x", T0), 0);

      h.processElement1(Records.setns("h", "web", NamespaceKind.NET, 100L, 100L, 0, T0), 0);          // no change
      h.processElement1(Records.setns("h", "web", NamespaceKind.NET, 100L, 200L, -1, T0), 0);         // failed
      h.processElement1(Records.setns("h", null, NamespaceKind.NET, Records.HOST_NET, Records.HOST_NET, 0, T0), 0);
      h.processElement1(Records.setns("h", "db", NamespaceKind.NET, 150L, 200L, 0, T0), 0);           // its own container's
      h.processElement1(Records.setns("h", "web", NamespaceKind.NET, 100L, 300L, 0, T0), 0);          // 300 is on another host: unknown here
      assertThat(h.extractOutputValues()).isEmpty();

      h.processElement1(Records.setns("h", null, NamespaceKind.NET, Records.HOST_NET, 200L, 0, T0 + 1), 0);  // host -> db
      h.processElement1(Records.setns("h", "web", NamespaceKind.NET, 100L, Records.HOST_NET, 0, T0 + 2), 0); // web -> host
      List<Observation> out = h.extractOutputValues();
      assertThat(out).extracting(o -> o.alertId).containsExactly("setns/host=h/from=-/to=db", "setns/host=h/from=web/to=-");
      assertThat(out.get(0).message).isEqualTo("pid 6000 (nsenter) uid 0 in the host entered net:200 of container db on host h");
      assertThat(out.get(1).message).isEqualTo("pid 6000 (nsenter) uid 0 in container web entered net:" + Records.HOST_NET + " of the host on host h");

      // the metadata of namespace 400 comes after the setns into it (the topics are not ordered)
      h.setProcessingTime(1_000);
      h.processElement1(Records.setns("h", null, NamespaceKind.NET, Records.HOST_NET, 400L, 0, T0 + 3), 0);
      assertThat(h.extractOutputValues()).hasSize(2);
      h.processElement2(Records.namespace("h", NamespaceKind.NET, 400L, "late", T0 + 3), 0);
      assertThat(h.extractOutputValues()).extracting(o -> o.alertId).last().isEqualTo("setns/host=h/from=-/to=late");

      h.processElement2(removed(Records.namespace("h", NamespaceKind.NET, 200L, "db", T0 + 3)), 0);
      h.processElement1(Records.setns("h", null, NamespaceKind.NET, Records.HOST_NET, 200L, 0, T0 + 4), 0);
      // owners unknown for 5 s (300 on this host, and 200 once it is gone): given up, no alert (unknown-target: ignore)
      h.setProcessingTime(1_000 + SetnsTargets.OWNER_WAIT_MS);
      assertThat(h.extractOutputValues()).hasSize(3);
      assertThat(h.numKeyedStateEntries()).as("only the two hosts' owner maps, nothing left waiting").isEqualTo(2);
    }
  }

  private static NamespaceMetadata removed(NamespaceMetadata m) {
    m.setRemoved(true);
    return m;
  }

  @Test
  void silenceIsObservedOnTheJobsClockRepeatedWhileItLastsAndEndedByTheNextHealthRecord() throws Exception {
    var beats = new HealthBeats(rules.absenceRules());
    try (KeyedOneInputStreamOperatorTestHarness<String, HealthBeat, Observation> h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new SilenceDetector(rules), b -> b.key, Types.STRING)) {
      java.util.List<HealthBeat> in = new java.util.ArrayList<>();
      beats.flatMap(Records.health("h", T0, SECOND), new AlertLifecycleTest.ListCollector<>(in));
      h.setProcessingTime(10_000);
      h.processElement(in.get(0), 0);
      h.setProcessingTime(11_000);
      h.processElement(in.get(0), 0);   // reported again after 1 s: fine
      h.setProcessingTime(12_999);
      assertThat(h.extractOutputValues()).isEmpty();
      h.setProcessingTime(13_000);      // 2 s since the last record
      h.setProcessingTime(15_000);      // still silent: observed again
      h.processElement(in.get(0), 0);   // back
      List<Observation> out = h.extractOutputValues();
      assertThat(out).extracting(o -> o.matched).containsExactly(true, true, false);
      assertThat(out.get(0).alertId).isEqualTo("silent/host=h");
      assertThat(out.get(0).message).isEqualTo("no collector health from host h for 2s (limit 2s)");
      assertThat(out.get(1).value).isEqualTo(4.0);
      assertThat(out.get(2).message).isEqualTo("collector on host h reports again after 4s of silence");
    }
  }
}

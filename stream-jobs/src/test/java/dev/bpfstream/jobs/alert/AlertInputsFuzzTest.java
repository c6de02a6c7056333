package dev.bpfstream.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.fuzz.BoundedCall;
import dev.bpfstream.fuzz.RandomRecords;
import dev.bpfstream.jobs.alert.rule.PatternSpec;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import dev.bpfstream.jobs.alert.rule.RulesParser;
import dev.bpfstream.jobs.alert.rule.SummarySource;
import dev.bpfstream.schema.WireCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.flink.util.Collector;

/**
 * The alerts job's inputs with values no collector or job would send but the wire format allows
 * (Long.MIN_VALUE times, NaN and infinite figures, empty and odd strings, long lists), through each
 * input's function and the alert lifecycle under rules that match everything. Nothing throws, and
 * every alert made is a record the alerts topic can carry.
 */
class AlertInputsFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(10));
  private static final RuleSet RULES = rules();
  private static final AlertLifecycle LIFECYCLE = new AlertLifecycle(RULES);
  private static final WireCodec<Alert> ALERTS = WireCodec.of(Alert.class);

  enum Input { EXEC, EXIT, USER_NAMESPACE, HEALTH, LATENCY, WORKLOAD }

  @Provide
  Arbitrary<Input> inputs() {
    return Arbitraries.of(Input.class);
  }

  @Property(tries = 3000)
  void hostileRecordsMakeObservationsAndAlertsTheTopicCarries(@ForAll("inputs") Input input, @ForAll long seed) {
    RandomRecords random = RandomRecords.hostile(seed);
    List<Object> out = new ArrayList<>();
    Collector<Object> collect = collector(out);
    Object record = switch (input) {
      case EXEC -> random.specific(ProcessExec.class);
      case EXIT -> random.specific(ProcessExit.class);
      case USER_NAMESPACE -> {
        NamespaceMetadata m = random.specific(NamespaceMetadata.class);
        m.setKind(NamespaceKind.USER);
        yield m;
      }
      case HEALTH -> random.specific(CollectorHealth.class);
      case LATENCY -> random.specific(LatencySummary.class);
      case WORKLOAD -> {
        WorkloadSummary w = random.specific(WorkloadSummary.class);
        w.setFigures(new HashMap<>(w.getFigures()));
        w.getFigures().put("exec_per_s", (Double) random.generic(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE)));
        yield w;
      }
    };
    BoundedCall.Outcome<Integer> o = CALLS.run(() -> {
      feed(input, record, collect);
      int alerts = 0;
      for (Object x : out) {
        if (x instanceof Observation obs) {
          AlertLifecycle.Step step = LIFECYCLE.observe(obs, new TrackerState(), 1_700_000_000_000L);
          if (step.alert() != null) {
            assertThat(ALERTS.decode(ALERTS.encode(step.alert()))).isEqualTo(step.alert());
            alerts++;
          }
        }
      }
      return alerts;
    }, input + ": " + record);
    assertThat(o.thrown()).as("%s: %s", input, record).isNull();
    Statistics.label("made").collect(out.isEmpty() ? "nothing" : o.value() > 0 ? "alerts" : "observations only");
  }

  @SuppressWarnings("unchecked")
  private static void feed(Input input, Object record, Collector<Object> out) throws Exception {
    switch (input) {
      case EXEC -> new ExecPatterns(execPatternRules()).flatMap((ProcessExec) record, (Collector<Observation>) (Collector<?>) out);
      case EXIT -> new ShortLivedExits(RULES.patternRules(PatternSpec.ShortLivedBurst.class))
          .flatMap((ProcessExit) record, (Collector<ShortLivedExit>) (Collector<?>) out);
      case USER_NAMESPACE -> new UserNamespaceMapping(RULES.patternRules(PatternSpec.UserNamespaceRootMapping.class))
          .flatMap((NamespaceMetadata) record, (Collector<Observation>) (Collector<?>) out);
      case HEALTH -> new HealthBeats(RULES.absenceRules()).flatMap((CollectorHealth) record, (Collector<HealthBeat>) (Collector<?>) out);
      case LATENCY -> new LatencyObservations(RULES.summaryRules(SummarySource.LATENCY))
          .flatMap((LatencySummary) record, (Collector<Observation>) (Collector<?>) out);
      case WORKLOAD -> new WorkloadObservations(RULES.summaryRules(SummarySource.WORKLOAD))
          .flatMap((WorkloadSummary) record, (Collector<Observation>) (Collector<?>) out);
    }
  }

  private static List<dev.bpfstream.jobs.alert.rule.PatternRule> execPatternRules() {
    List<dev.bpfstream.jobs.alert.rule.PatternRule> all = new ArrayList<>(RULES.patternRules(PatternSpec.ExecFromWorldWritableDir.class));
    all.addAll(RULES.patternRules(PatternSpec.SetuidRootExec.class));
    return all;
  }

  private static Collector<Object> collector(List<Object> out) {
    return new Collector<>() {
      @Override
      public void collect(Object o) {
        out.add(o);
      }

      @Override
      public void close() {
      }
    };
  }

  private static RuleSet rules() {
    try {
      return RulesParser.parse("fuzz-rules.yaml", """
          rules:
            - {id: lat, kind: threshold, source: latency, figure: p99, above: 1ms}
            - {id: lat-count, kind: sustained, source: latency, figure: count, below: 5, windows: 2}
            - {id: lat-roc, kind: rate-of-change, source: latency, figure: max, factor: 10, baseline-windows: 1}
            - {id: wl, kind: threshold, source: workload, figure: exec_per_s, above: 10}
            - {id: wl-roc, kind: rate-of-change, source: workload, figure: exec_per_s, factor: 0.5, baseline-windows: 1}
            - {id: www, kind: pattern, pattern: exec-from-world-writable-dir}
            - {id: suid, kind: pattern, pattern: setuid-root-exec, unprivileged-only: false}
            - {id: userns, kind: pattern, pattern: userns-root-to-nonroot}
            - {id: burst, kind: pattern, pattern: short-lived-burst, count: 2, per: container, max-lifetime: 8784h}
            - {id: silent, kind: absence, missed: 3}
          """);
    } catch (dev.bpfstream.jobs.alert.rule.RulesException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}

package dev.bpfstream.jobs.alert;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.bpfstream.options.Durations;
import dev.bpfstream.jobs.alert.rule.PatternRule;
import dev.bpfstream.jobs.alert.rule.PatternSpec;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by burst subject: counts short-lived exits in event time (the exits' own timestamps, in
 * per-host order) and observes a burst when {@code count} of them fall within {@code within}.
 * While a burst lasts it observes at most once per second of event time; the tracker de-duplicates.
 */
public final class BurstDetector extends KeyedProcessFunction<String, ShortLivedExit, Observation> {
  private static final long serialVersionUID = 1L;
  private static final long RESEND_NS = 1_000_000_000L;

  private final Map<String, PatternRule> rules = new HashMap<>();
  private transient ValueState<BurstWindow> state;

  public BurstDetector(RuleSet ruleSet) {
    for (PatternRule r : ruleSet.patternRules(PatternSpec.ShortLivedBurst.class)) {
      rules.put(r.id(), r);
    }
  }

  @Override
  public void open(OpenContext context) {
    state = getRuntimeContext().getState(new ValueStateDescriptor<>("burst", BurstWindow.class));
  }

  @Override
  public void processElement(ShortLivedExit x, Context ctx, Collector<Observation> out) throws Exception {
    PatternRule rule = rules.get(x.ruleId);
    PatternSpec.ShortLivedBurst b = (PatternSpec.ShortLivedBurst) rule.spec();
    BurstWindow w = state.value();
    if (w == null) {
      w = BurstWindow.of(b.count());
    }
    w.add(x.timeNs, x.comm);
    long oldest = w.oldest();
    if (oldest != Long.MIN_VALUE && x.timeNs - oldest <= b.withinNs()
        && (w.lastSentNs == 0 || x.timeNs - w.lastSentNs >= RESEND_NS)) {
      w.lastSentNs = x.timeNs;
      out.collect(observe(rule, b, x, w, oldest));
    }
    state.update(w);
  }

  private static Observation observe(PatternRule r, PatternSpec.ShortLivedBurst b, ShortLivedExit x, BurstWindow w, long oldest) {
    String where = (x.containerId != null ? Subjects.container(x.containerId) + " on " : "") + "host " + Subjects.host(x.hostId, x.hostname);
    Observation o = Observation.event(r.id(), x.key.substring(r.id().length() + 1), true, x.timeNs)
        .where(x.hostId, x.hostname, x.containerId, null, where);
    o.figure = "short_lived_exits";
    o.value = (double) b.count();
    o.threshold = (double) b.count();
    o.message = ExecPatterns.prefix(r) + b.count() + " processes that lived under " + Durations.format(b.maxLifetimeNs())
        + " exited within " + Durations.format(x.timeNs - oldest) + " on " + where
        + " (limit " + b.count() + " in " + Durations.format(b.withinNs()) + ")";
    Map<String, Long> byComm = new HashMap<>();
    for (String c : w.comms) {
      byComm.merge(c == null ? "?" : c, 1L, Long::sum);
    }
    List<String> top = byComm.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(3).map(e -> "comm " + e.getKey() + ": " + e.getValue() + " exits").collect(Collectors.toList());
    top.add("last pid " + x.pid + " (" + x.comm + ") lived " + Durations.format(x.lifetimeNs));
    o.evidence = top.toArray(new String[0]);
    return o;
  }
}

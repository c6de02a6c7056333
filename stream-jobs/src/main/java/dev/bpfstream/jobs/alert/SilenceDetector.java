package dev.bpfstream.jobs.alert;

import dev.bpfstream.jobs.alert.rule.AbsenceRule;
import dev.bpfstream.options.Durations;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by (absence rule, host): observes silence when no health record arrived for the rule's
 * silence on the job's clock, again every silence period while it lasts, and the end of it when a
 * record arrives. A host is watched from its first health record on.
 */
public final class SilenceDetector extends KeyedProcessFunction<String, HealthBeat, Observation> {
  private static final long serialVersionUID = 1L;

  private final RuleSet rules;
  private transient ValueState<HealthBeat> lastBeat;
  private transient ValueState<Long> lastArrivalMs;
  private transient ValueState<Boolean> silent;
  /** Silence counts from here at the earliest: the job's downtime is not the host's silence. */
  private transient TaskStart started;

  public SilenceDetector(RuleSet rules) {
    this.rules = rules;
  }

  @Override
  public void open(OpenContext context) {
    lastBeat = getRuntimeContext().getState(new ValueStateDescriptor<>("lastBeat", HealthBeat.class));
    lastArrivalMs = getRuntimeContext().getState(new ValueStateDescriptor<>("lastArrivalMs", Long.class));
    silent = getRuntimeContext().getState(new ValueStateDescriptor<>("silent", Boolean.class));
    started = new TaskStart();
  }

  @Override
  public void processElement(HealthBeat b, Context ctx, Collector<Observation> out) throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    started.ms(ctx.timerService());
    AbsenceRule rule = (AbsenceRule) rules.rule(b.ruleId);
    if (Boolean.TRUE.equals(silent.value())) {
      Long since = lastArrivalMs.value();
      Observation o = observe(rule, b, false, now);
      o.message = "collector on host " + Subjects.host(b.hostId, b.hostname) + " reports again after "
          + Durations.format((now - (since == null ? now : since)) * 1e6) + " of silence";
      out.collect(o);
    }
    silent.update(false);
    boolean first = lastArrivalMs.value() == null;
    lastBeat.update(b);
    lastArrivalMs.update(now);
    if (first) {
      ctx.timerService().registerProcessingTimeTimer(now + rule.silenceMs(b.intervalNs));
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Observation> out) throws Exception {
    HealthBeat b = lastBeat.value();
    Long arrived = lastArrivalMs.value();
    if (b == null || arrived == null) {
      return;
    }
    long last = started.since(arrived, ctx.timerService());
    AbsenceRule rule = (AbsenceRule) rules.rule(b.ruleId);
    long silence = rule.silenceMs(b.intervalNs);
    if (timestamp - last < silence) {
      ctx.timerService().registerProcessingTimeTimer(last + silence);
      return;
    }
    silent.update(true);
    Observation o = observe(rule, b, true, timestamp);
    o.value = (timestamp - last) / 1000.0;
    o.threshold = silence / 1000.0;
    o.message = (rule.description().isEmpty() ? "" : rule.description() + ": ") + "no collector health from host "
        + Subjects.host(b.hostId, b.hostname) + " for " + Durations.format((timestamp - last) * 1e6)
        + " (limit " + Durations.format(silence * 1e6) + ")";
    out.collect(o);
    ctx.timerService().registerProcessingTimeTimer(timestamp + silence);
  }

  private static Observation observe(AbsenceRule rule, HealthBeat b, boolean matched, long nowMs) {
    Observation o = Observation.event(rule.id(), "host=" + b.hostId, matched, nowMs * 1_000_000L)
        .where(b.hostId, b.hostname, null, null, "collector on host " + Subjects.host(b.hostId, b.hostname));
    o.figure = "silent_s";
    o.evidence = new String[] {
        "last health record at " + java.time.Instant.ofEpochSecond(0, b.timeNs) + " (collector " + b.version
            + ", interval " + Durations.format(b.intervalNs) + ")"};
    return o;
  }
}

package dev.bpfstream.jobs.alert;

import java.util.List;

import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.jobs.alert.rule.AbsenceRule;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** A health record, once per absence rule, keyed by rule and host. */
public final class HealthBeats implements FlatMapFunction<CollectorHealth, HealthBeat> {
  private static final long serialVersionUID = 1L;

  private final List<AbsenceRule> rules;

  public HealthBeats(List<AbsenceRule> rules) {
    this.rules = List.copyOf(rules);
  }

  @Override
  public void flatMap(CollectorHealth h, Collector<HealthBeat> out) {
    for (AbsenceRule r : rules) {
      HealthBeat b = new HealthBeat();
      b.ruleId = r.id();
      b.key = r.id() + "/host=" + h.getHostId();
      b.hostId = h.getHostId();
      b.hostname = h.getHostname();
      b.timeNs = h.getTimeNs();
      b.intervalNs = h.getIntervalNs();
      b.version = h.getVersion();
      out.collect(b);
    }
  }
}

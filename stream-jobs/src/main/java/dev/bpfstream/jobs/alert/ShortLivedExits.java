package dev.bpfstream.jobs.alert;

import java.util.List;

import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.event.TaskContext;
import dev.bpfstream.jobs.alert.rule.PatternRule;
import dev.bpfstream.jobs.alert.rule.PatternSpec;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Keeps the exits short enough for each burst rule, keyed per host or per container. */
public final class ShortLivedExits implements FlatMapFunction<ProcessExit, ShortLivedExit> {
  private static final long serialVersionUID = 1L;

  private final List<PatternRule> rules;

  public ShortLivedExits(List<PatternRule> rules) {
    this.rules = List.copyOf(rules);
  }

  @Override
  public void flatMap(ProcessExit e, Collector<ShortLivedExit> out) {
    TaskContext c = e.getCtx();
    for (PatternRule r : rules) {
      PatternSpec.ShortLivedBurst b = (PatternSpec.ShortLivedBurst) r.spec();
      if (e.getLifetimeNs() >= b.maxLifetimeNs()) {
        continue;
      }
      ShortLivedExit x = new ShortLivedExit();
      x.ruleId = r.id();
      x.key = r.id() + "/host=" + c.getHostId()
          + (b.per() == PatternSpec.BurstScope.CONTAINER ? "/container=" + Subjects.containerKey(c.getContainerId()) : "");
      x.hostId = c.getHostId();
      x.hostname = c.getHostname();
      x.containerId = b.per() == PatternSpec.BurstScope.CONTAINER ? c.getContainerId() : null;
      x.timeNs = c.getTimeNs();
      x.lifetimeNs = e.getLifetimeNs();
      x.comm = c.getComm();
      x.pid = c.getPid();
      out.collect(x);
    }
  }
}

package dev.bpfstream.jobs.alert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.event.NamespaceSyscall;
import dev.bpfstream.event.NamespaceTransition;
import dev.bpfstream.event.TaskContext;
import dev.bpfstream.jobs.alert.rule.PatternRule;
import dev.bpfstream.jobs.alert.rule.PatternSpec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by host: learns which container owns each namespace from ns.metadata, and flags a setns
 * whose target namespace belongs to a container other than the caller's (the host counts as one
 * owner, "-"). A target not known yet is counted ({@code setnsTargetUnknown}).
 */
public final class SetnsTargets extends KeyedCoProcessFunction<String, NamespaceChange, NamespaceMetadata, Observation> {
  private static final long serialVersionUID = 1L;
  static final String UNKNOWN = "?";

  private final List<PatternRule> rules;
  private transient MapState<String, String> owners;
  private transient Counter unknownTarget;

  public SetnsTargets(List<PatternRule> rules) {
    this.rules = List.copyOf(rules);
  }

  @Override
  public void open(OpenContext context) {
    owners = getRuntimeContext().getMapState(new MapStateDescriptor<>("namespaceOwners", String.class, String.class));
    unknownTarget = getRuntimeContext().getMetricGroup().counter("setnsTargetUnknown");
  }

  @Override
  public void processElement2(NamespaceMetadata m, Context ctx, Collector<Observation> out) throws Exception {
    String key = m.getKind() + ":" + m.getInode();
    if (m.getRemoved()) {
      owners.remove(key);
    } else {
      owners.put(key, Subjects.containerKey(m.getContainerId()));
    }
  }

  @Override
  public void processElement1(NamespaceChange c, Context ctx, Collector<Observation> out) throws Exception {
    if (c.getSyscall() != NamespaceSyscall.SETNS || c.getRetval() != 0) {
      return;
    }
    TaskContext t = c.getCtx();
    String caller = Subjects.containerKey(t.getContainerId());
    Map<String, List<String>> entered = new LinkedHashMap<>();
    for (NamespaceTransition n : c.getChanges()) {
      if (n.getCreated() || n.getAfter() == n.getBefore() || n.getAfter() == 0) {
        continue;
      }
      String owner = owners.get(n.getKind() + ":" + n.getAfter());
      if (owner == null) {
        unknownTarget.inc();
        owner = UNKNOWN;
      }
      if (!owner.equals(caller)) {
        entered.computeIfAbsent(owner, k -> new ArrayList<>()).add(n.getKind().name().toLowerCase(java.util.Locale.ROOT) + ":" + n.getAfter());
      }
    }
    for (Map.Entry<String, List<String>> e : entered.entrySet()) {
      for (PatternRule r : rules) {
        boolean unknown = e.getKey().equals(UNKNOWN);
        if (unknown && !((PatternSpec.SetnsIntoOtherContainer) r.spec()).alertOnUnknownTarget()) {
          continue;
        }
        out.collect(observe(r, t, caller, e.getKey(), e.getValue()));
      }
    }
  }

  private static Observation observe(PatternRule r, TaskContext t, String caller, String target, List<String> namespaces) {
    String host = Subjects.host(t.getHostId(), t.getHostname());
    String targetText = target.equals(UNKNOWN) ? "a namespace of unknown owner" : target.equals("-") ? "the host" : Subjects.container(target);
    String from = Subjects.container(caller.equals("-") ? null : caller);
    Observation o = Observation.event(r.id(), "host=" + t.getHostId() + "/from=" + caller + "/to=" + target, true, t.getTimeNs())
        .where(t.getHostId(), t.getHostname(), target.equals("-") || target.equals(UNKNOWN) ? null : target,
            namespaces.get(0), targetText + " entered from " + from + " on host " + host);
    o.figure = "setns";
    o.message = ExecPatterns.prefix(r) + Subjects.task(t) + " in " + from + " entered " + String.join(", ", namespaces)
        + " of " + targetText + " on host " + host;
    o.evidence = new String[] {Subjects.task(t) + " ppid " + t.getPpid(), "entered " + String.join(", ", namespaces)};
    return o;
  }
}

package dev.bpfstream.jobs.alert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.event.NamespaceSyscall;
import dev.bpfstream.event.NamespaceTransition;
import dev.bpfstream.jobs.alert.rule.PatternRule;
import dev.bpfstream.jobs.alert.rule.PatternSpec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by host: learns which container owns each namespace from ns.metadata, and flags a setns
 * whose target namespace belongs to a container other than the caller's (the host counts as one
 * owner, "-"). The two topics are not ordered against each other, so an entry whose namespace has
 * no owner yet waits up to {@link #OWNER_WAIT_MS} for its metadata; still unknown then, it is
 * counted ({@code setnsTargetUnknown}) and alerts only with {@code unknown-target: alert}.
 */
public final class SetnsTargets extends KeyedCoProcessFunction<String, NamespaceChange, NamespaceMetadata, Observation> {
  private static final long serialVersionUID = 1L;
  static final String UNKNOWN = "?";
  static final long OWNER_WAIT_MS = 5_000;

  private final List<PatternRule> rules;
  private transient MapState<String, String> owners;
  private transient ListState<SetnsEntry> pending;
  private transient Counter unknownTarget;

  public SetnsTargets(List<PatternRule> rules) {
    this.rules = List.copyOf(rules);
  }

  @Override
  public void open(OpenContext context) {
    owners = getRuntimeContext().getMapState(new MapStateDescriptor<>("namespaceOwners", String.class, String.class));
    pending = getRuntimeContext().getListState(new ListStateDescriptor<>("ownerUnknown", SetnsEntry.class));
    unknownTarget = getRuntimeContext().getMetricGroup().counter("setnsTargetUnknown");
  }

  @Override
  public void processElement2(NamespaceMetadata m, Context ctx, Collector<Observation> out) throws Exception {
    String key = m.getKind() + ":" + m.getInode();
    if (m.getRemoved()) {
      owners.remove(key);
      return;
    }
    owners.put(key, Subjects.containerKey(m.getContainerId()));
    List<SetnsEntry> still = new ArrayList<>();
    boolean resolvedAny = false;
    for (SetnsEntry e : pending.get()) {
      if (e.ownerKey().equals(key)) {
        judge(List.of(e), Subjects.containerKey(m.getContainerId()), out);
        resolvedAny = true;
      } else {
        still.add(e);
      }
    }
    if (resolvedAny) {
      pending.update(still);
    }
  }

  @Override
  public void processElement1(NamespaceChange c, Context ctx, Collector<Observation> out) throws Exception {
    if (c.getSyscall() != NamespaceSyscall.SETNS || c.getRetval() != 0) {
      return;
    }
    Map<String, List<SetnsEntry>> byOwner = new LinkedHashMap<>();
    long deadline = ctx.timerService().currentProcessingTime() + OWNER_WAIT_MS;
    for (NamespaceTransition n : c.getChanges()) {
      if (n.getCreated() || n.getAfter() == n.getBefore() || n.getAfter() == 0) {
        continue;
      }
      SetnsEntry e = SetnsEntry.of(c, n);
      String owner = owners.get(e.ownerKey());
      if (owner == null) {
        e.deadlineMs = deadline;
        pending.add(e);
        ctx.timerService().registerProcessingTimeTimer(deadline);
      } else {
        byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(e);
      }
    }
    for (Map.Entry<String, List<SetnsEntry>> g : byOwner.entrySet()) {
      judge(g.getValue(), g.getKey(), out);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Observation> out) throws Exception {
    List<SetnsEntry> still = new ArrayList<>();
    for (SetnsEntry e : pending.get()) {
      if (e.deadlineMs <= timestamp) {
        unknownTarget.inc();
        judge(List.of(e), UNKNOWN, out);
      } else {
        still.add(e);
      }
    }
    pending.update(still);
  }

  /** Entries of one task into namespaces of one owner. */
  private void judge(List<SetnsEntry> entries, String owner, Collector<Observation> out) {
    SetnsEntry first = entries.get(0);
    if (owner.equals(first.caller)) {
      return;
    }
    for (PatternRule r : rules) {
      if (owner.equals(UNKNOWN) && !((PatternSpec.SetnsIntoOtherContainer) r.spec()).alertOnUnknownTarget()) {
        continue;
      }
      out.collect(observe(r, entries, owner));
    }
  }

  private static Observation observe(PatternRule r, List<SetnsEntry> entries, String target) {
    SetnsEntry t = entries.get(0);
    List<String> namespaces = entries.stream().map(SetnsEntry::namespace).toList();
    String host = Subjects.host(t.hostId, t.hostname);
    String targetText = target.equals(UNKNOWN) ? "a namespace of unknown owner" : target.equals("-") ? "the host" : Subjects.container(target);
    String from = Subjects.container(t.caller.equals("-") ? null : t.caller);
    Observation o = Observation.event(r.id(), "host=" + t.hostId + "/from=" + t.caller + "/to=" + target, true, t.timeNs)
        .where(t.hostId, t.hostname, target.equals("-") || target.equals(UNKNOWN) ? null : target,
            namespaces.get(0), targetText + " entered from " + from + " on host " + host);
    o.figure = "setns";
    o.message = ExecPatterns.prefix(r) + t.task() + " in " + from + " entered " + String.join(", ", namespaces)
        + " of " + targetText + " on host " + host;
    o.evidence = new String[] {t.task() + " ppid " + t.ppid, "entered " + String.join(", ", namespaces)};
    return o;
  }
}

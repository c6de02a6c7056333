package dev.bpfstream.jobs.workload;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;

import dev.bpfstream.event.Scope;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.typeinfo.SerializerTypeInfo;
import dev.bpfstream.jobs.window.WindowPartial;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns a closed window of one host (or the fleet) into {@link WorkloadSummary} records, one per
 * scope, with each figure's change against the scope's earlier windows (kept in keyed state).
 */
public final class WorkloadSummarizer extends KeyedProcessFunction<String, WorkloadAccumulator, WorkloadSummary> {
  private static final long serialVersionUID = 1L;
  public static final int TOP_N = 10;
  /** A scope silent for this many windows is forgotten (containers come and go). */
  static final int FORGET_AFTER_WINDOWS = 60;
  static final String HOST_SCOPE = "HOST";

  private transient MapState<String, Baseline> baselines;

  @Override
  public void open(OpenContext context) {
    baselines = getRuntimeContext().getMapState(new MapStateDescriptor<>("baselines", Types.STRING,
        new SerializerTypeInfo<>(Baseline.class, BaselineSerializer.INSTANCE)));
  }

  @Override
  public void processElement(WorkloadAccumulator acc, Context ctx, Collector<WorkloadSummary> out) throws Exception {
    boolean fleet = WindowPartial.FLEET.equals(acc.hostId());
    out.collect(summarize(acc, fleet ? Scope.FLEET : Scope.HOST, HOST_SCOPE, acc.total()));
    if (!fleet) {
      for (Map.Entry<String, ScopeCounts> g : acc.groups().entrySet()) {
        Scope scope = g.getKey().startsWith(WorkloadAccumulator.CONTAINER_PREFIX) ? Scope.CONTAINER : Scope.NAMESPACE;
        out.collect(summarize(acc, scope, g.getKey(), g.getValue()));
      }
    }
    long forgetBefore = acc.windowStartMs() - FORGET_AFTER_WINDOWS * acc.windowSizeMs();
    for (Iterator<Map.Entry<String, Baseline>> it = baselines.iterator(); it.hasNext(); ) {
      if (it.next().getValue().lastWindowStartMs() < forgetBefore) {
        it.remove();
      }
    }
  }

  private WorkloadSummary summarize(WorkloadAccumulator acc, Scope scope, String scopeKey, ScopeCounts c) throws Exception {
    Map<String, Double> figures = Figures.of(c, acc.windowSizeMs());
    ChangeTracker.Result changes = ChangeTracker.compare(baselines.get(scopeKey), acc.windowStartMs(), acc.windowSizeMs(), figures);
    baselines.put(scopeKey, changes.next());
    boolean fleet = scope == Scope.FLEET;
    WorkloadSummary.Builder b = WorkloadSummary.newBuilder()
        .setWindowStartNs(acc.windowStartMs() * 1_000_000L)
        .setWindowEndNs((acc.windowStartMs() + acc.windowSizeMs()) * 1_000_000L)
        .setWindowSizeNs(acc.windowSizeMs() * 1_000_000L)
        .setScope(scope)
        .setHostId(fleet ? null : acc.hostId())
        .setHostname(fleet ? null : acc.hostname())
        .setContainerId(scope == Scope.CONTAINER ? scopeKey.substring(WorkloadAccumulator.CONTAINER_PREFIX.length()) : null)
        .setNamespace(scope == Scope.NAMESPACE ? "pid:" + scopeKey.substring(WorkloadAccumulator.NAMESPACE_PREFIX.length()) : null)
        .setFigures(figures.entrySet().stream().collect(java.util.stream.Collectors.toMap(
            Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x, java.util.LinkedHashMap::new)))
        .setTopProcesses(c.processes.top(TOP_N))
        .setTopUsers(c.users.top(TOP_N))
        .setTopContainers(c.containers.top(TOP_N))
        .setTopRemoteAddresses(c.remotes.top(TOP_N))
        .setTopStacks(c.stacks.top(TOP_N))
        .setTopCommands(c.commands.top(TOP_N))
        .setChanges(new ArrayList<>(changes.changes()))
        .setBiggestMovers(new ArrayList<>(changes.movers()))
        .setEventCount(c.get(Counter.EVENTS))
        .setLostEvents(acc.lostEvents());
    return b.build();
  }

  /** Kafka key: scope/host/container-or-namespace. */
  public static String key(WorkloadSummary s) {
    String sub = s.getContainerId() != null ? s.getContainerId() : s.getNamespace() != null ? s.getNamespace() : "all";
    return s.getScope() + "/" + (s.getHostId() == null ? WindowPartial.FLEET : s.getHostId()) + "/" + sub
        + "/" + (s.getWindowSizeNs() / 1_000_000_000L) + "s";
  }
}

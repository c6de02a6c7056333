package dev.bpfstream.jobs.alert;

import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.event.CommandEntry;
import dev.bpfstream.event.TopEntry;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.alert.rule.SummaryRule;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * One observation per (workload rule, matching summary). A summary without the rule's figure is no
 * observation (counted as {@code figureMissing}): the subject had no data for it in that window.
 */
public final class WorkloadObservations extends RichFlatMapFunction<WorkloadSummary, Observation> {
  private static final long serialVersionUID = 1L;
  private static final int TOP = 3;

  private final List<SummaryRule> rules;
  private transient Counter figureMissing;

  public WorkloadObservations(List<SummaryRule> rules) {
    this.rules = List.copyOf(rules);
  }

  @Override
  public void open(OpenContext context) {
    figureMissing = getRuntimeContext().getMetricGroup().counter("figureMissing");
  }

  @Override
  public void flatMap(WorkloadSummary s, Collector<Observation> out) {
    for (SummaryRule r : rules) {
      if (!r.filter().matches(s)) {
        continue;
      }
      Double v = s.getFigures().get(r.figure());
      if (v == null) {
        if (figureMissing != null) {
          figureMissing.inc();
        }
        continue;
      }
      out.collect(observe(r, s, v));
    }
  }

  static Observation observe(SummaryRule r, WorkloadSummary s, double value) {
    String host = Subjects.host(s.getHostId(), s.getHostname());
    String key;
    String text;
    switch (s.getScope()) {
      case HOST -> {
        key = "host=" + s.getHostId();
        text = "host " + host;
      }
      case CONTAINER -> {
        key = "host=" + s.getHostId() + "/container=" + Subjects.containerKey(s.getContainerId());
        text = Subjects.container(s.getContainerId()) + " on host " + host;
      }
      case NAMESPACE -> {
        key = "host=" + s.getHostId() + "/ns=" + s.getNamespace();
        text = "namespace " + s.getNamespace() + " on host " + host;
      }
      default -> {
        key = "fleet";
        text = "the fleet";
      }
    }
    Observation o = Observation.windowed(r.id(), key)
        .where(s.getHostId(), s.getHostname(), s.getContainerId(), s.getNamespace(), text);
    o.figure = r.figure();
    o.value = value;
    o.windowStartNs = s.getWindowStartNs();
    o.windowEndNs = s.getWindowEndNs();
    o.evidence = evidence(s);
    return o;
  }

  /** The top contributors: who did it. */
  static String[] evidence(WorkloadSummary s) {
    List<String> e = new ArrayList<>();
    for (int i = 0; i < Math.min(TOP, s.getTopCommands().size()); i++) {
      CommandEntry c = s.getTopCommands().get(i);
      e.add("command " + c.getComm() + (c.getExe().isEmpty() ? "" : " (" + c.getExe() + ")") + ": " + c.getProcesses()
          + (c.getProcesses() == 1 ? " process, " : " processes, ") + c.getEvents() + " events"
          + (c.getCpuSamples() > 0 ? ", " + c.getCpuSamples() + " cpu samples" : ""));
    }
    top(e, "process", s.getTopProcesses());
    top(e, "container", s.getTopContainers());
    top(e, "user", s.getTopUsers());
    top(e, "remote", s.getTopRemoteAddresses());
    for (int i = 0; i < Math.min(TOP, s.getBiggestMovers().size()); i++) {
      e.add("mover " + s.getBiggestMovers().get(i));
    }
    if (s.getLostEvents() > 0) {
      e.add("lost events upstream: " + s.getLostEvents());
    }
    return e.toArray(new String[0]);
  }

  private static void top(List<String> out, String what, List<TopEntry> entries) {
    for (int i = 0; i < Math.min(TOP, entries.size()); i++) {
      TopEntry t = entries.get(i);
      out.add(what + " " + t.getKey() + ": " + t.getEvents() + " events"
          + (t.getBytes() > 0 ? ", " + t.getBytes() + " bytes" : "")
          + (t.getCpuSamples() > 0 ? ", " + t.getCpuSamples() + " cpu samples" : ""));
    }
  }
}

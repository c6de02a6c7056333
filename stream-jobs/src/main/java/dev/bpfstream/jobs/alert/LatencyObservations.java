package dev.bpfstream.jobs.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.options.Durations;
import dev.bpfstream.jobs.alert.rule.SummaryRule;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** One observation per (latency rule, matching summary); one subject per kind, scope, host and dimension value. */
public final class LatencyObservations implements FlatMapFunction<LatencySummary, Observation> {
  private static final long serialVersionUID = 1L;

  private final List<SummaryRule> rules;

  public LatencyObservations(List<SummaryRule> rules) {
    this.rules = List.copyOf(rules);
  }

  @Override
  public void flatMap(LatencySummary s, Collector<Observation> out) {
    for (SummaryRule r : rules) {
      if (r.filter().matches(s)) {
        out.collect(observe(r, s));
      }
    }
  }

  static Observation observe(SummaryRule r, LatencySummary s) {
    String kind = s.getKind().name().toLowerCase(Locale.ROOT).replace('_', '-');
    String key = "latency=" + s.getKind() + "/scope=" + s.getScope()
        + (s.getHostId() != null ? "/host=" + s.getHostId() : "")
        + "/" + s.getDimension() + "=" + s.getDimensionValue();
    String where = s.getHostId() == null && s.getHostname() == null ? "the fleet" : "host " + Subjects.host(s.getHostId(), s.getHostname());
    String text = kind + (s.getDimension().equals("all") ? "" : " " + s.getDimension() + " " + s.getDimensionValue()) + " on " + where;
    Observation o = Observation.windowed(r.id(), key).where(s.getHostId(), s.getHostname(),
        s.getDimension().equals("container") ? s.getDimensionValue() : null,
        s.getDimension().equals("namespace") ? s.getDimensionValue() : null, text);
    o.figure = kind + "." + r.figure();
    o.value = r.latencyFigure().of(s);
    o.windowStartNs = s.getWindowStartNs();
    o.windowEndNs = s.getWindowEndNs();
    List<String> e = new ArrayList<>();
    e.add(s.getCount() + " samples: p50 " + Durations.format(s.getP50Ns()) + ", p90 " + Durations.format(s.getP90Ns())
        + ", p99 " + Durations.format(s.getP99Ns()) + ", p99.9 " + Durations.format(s.getP999Ns())
        + ", max " + Durations.format(s.getMaxNs()));
    if (s.getLostEvents() > 0) {
      e.add("lost events upstream: " + s.getLostEvents());
    }
    o.evidence = e.toArray(new String[0]);
    return o;
  }
}

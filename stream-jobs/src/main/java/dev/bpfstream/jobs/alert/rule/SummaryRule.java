package dev.bpfstream.jobs.alert.rule;

import dev.bpfstream.event.Severity;

/**
 * A rule on the summaries one window at a time: threshold (windows = 1), sustained (windows = N
 * consecutive) or rate-of-change against a learnt baseline.
 *
 * @param figure a key of WorkloadSummary.figures, or a {@link LatencyFigure} word for latency
 */
public record SummaryRule(String id, String kind, Severity severity, String description, SummarySource source,
                          SummaryFilter filter, String figure, Condition condition, int windows,
                          AlertPolicy policy) implements Rule {

  /** The figure of a latency rule; null for workload rules. */
  public LatencyFigure latencyFigure() {
    return source == SummarySource.LATENCY ? LatencyFigure.parse(figure) : null;
  }

  /** Latency figures are nanoseconds, shown in the most readable unit. */
  public boolean isDuration() {
    LatencyFigure f = latencyFigure();
    return f != null && f.isDuration();
  }
}

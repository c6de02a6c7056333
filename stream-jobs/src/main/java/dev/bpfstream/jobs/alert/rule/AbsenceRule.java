package dev.bpfstream.jobs.alert.rule;

import dev.bpfstream.event.Severity;

/**
 * A host whose collector went silent: no collector.health record for {@code missedIntervals} of its
 * own reporting intervals, or for {@code silentForMs} (exactly one of the two is set, the other 0).
 * Silence is measured on the job's clock: it is about now, not about event time.
 */
public record AbsenceRule(String id, Severity severity, String description, int missedIntervals, long silentForMs,
                          AlertPolicy policy) implements Rule {
  @Override
  public String kind() {
    return "absence";
  }

  /** How long a host may stay silent, given its last reported interval. */
  public long silenceMs(long intervalNs) {
    if (silentForMs > 0) {
      return silentForMs;
    }
    return Math.max(1, missedIntervals * intervalNs / 1_000_000L);
  }
}

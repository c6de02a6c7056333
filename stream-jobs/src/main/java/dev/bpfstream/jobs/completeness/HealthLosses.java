package dev.bpfstream.jobs.completeness;

import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.ProbeHealth;

/**
 * Losses in collector health reports. Counters are cumulative since the collector started
 * ({@code startedNs}), so losses in an interval are differences between reports of the same run.
 */
public final class HealthLosses {
  private HealthLosses() {
  }

  /**
   * Everything the collector saw happen but did not deliver to Kafka since it started: ring
   * overflows (kernel and perf), unparseable records, rate limiting, records dropped after reading
   * and spool drops.
   */
  public static long cumulative(CollectorHealth h) {
    long lost = h.getSpoolDropped();
    for (ProbeHealth p : h.getProbes()) {
      lost += p.getLostKernel() + p.getLostUser() + p.getParseErrors() + p.getRateLimited() + p.getDropped();
    }
    return lost;
  }

  /** What a tracker remembers of a host's last report. */
  public record Last(long startedNs, long timeNs, long cumulative) {
  }

  /** The outcome of one report: the new memory, and the losses it adds (0 for a stale report). */
  public record Step(Last last, long lost, boolean stale) {
  }

  /**
   * @param previous the last report of this host, null for the first one seen
   */
  public static Step step(Last previous, CollectorHealth h) {
    long cumulative = cumulative(h);
    Last now = new Last(h.getStartedNs(), h.getTimeNs(), cumulative);
    if (previous == null) {
      // A collector's first report covers its whole run; a later one seen first (the job started
      // after the collector) only sets the base: losses before this job watched belong to no window of ours.
      boolean firstReportOfRun = h.getTimeNs() - h.getStartedNs() <= h.getIntervalNs() + h.getIntervalNs() / 2;
      return new Step(now, firstReportOfRun ? cumulative : 0, false);
    }
    if (h.getStartedNs() != previous.startedNs()) {
      // Restarted: counters began again from zero at the new startedNs.
      if (h.getStartedNs() < previous.startedNs()) {
        return new Step(previous, 0, true);
      }
      return new Step(now, cumulative, false);
    }
    if (h.getTimeNs() <= previous.timeNs()) {
      return new Step(previous, 0, true);
    }
    long delta = cumulative - previous.cumulative();
    // Counters of one run never go down; if they do, count what this report shows rather than a negative.
    return new Step(now, delta >= 0 ? delta : cumulative, false);
  }
}

package dev.bpfstream.jobs.alert.rule;

import java.io.Serializable;
import java.time.Duration;

/**
 * How an alert lives once its condition holds.
 *
 * @param updateEveryNs  at most one UPDATE per alert in this much event time
 * @param clearWindows   consecutive windows without the condition before a windowed alert resolves
 * @param staleWindows   a windowed alert resolves when its subject sent no summary for this many window lengths
 * @param resolveAfterMs an event alert (pattern) resolves after this long without a matching event
 */
public record AlertPolicy(long updateEveryNs, int clearWindows, int staleWindows, long resolveAfterMs) implements Serializable {
  public static final AlertPolicy DEFAULT =
      new AlertPolicy(Duration.ofMinutes(5).toNanos(), 1, 3, Duration.ofMinutes(5).toMillis());
}

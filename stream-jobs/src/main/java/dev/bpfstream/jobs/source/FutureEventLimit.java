package dev.bpfstream.jobs.source;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * The latest event time a job takes in: its own wall clock plus {@code maxAhead}. Event time is
 * each collector host's clock, and a partition's watermark follows the largest event time seen in
 * it; one host whose clock runs hours ahead would carry its partition's watermark with it and make
 * every other host's events there late. Its events beyond the limit are rejected instead.
 *
 * <p>On the per-record path the check is one comparison: the clock is read only for an event beyond
 * the limit computed at the previous read. The wall clock moves forward, so an old limit is below
 * the current one: an event within it is within the current limit too.
 */
public final class FutureEventLimit implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Nanoseconds; Long.MAX_VALUE: no limit (the limit then saturates at Long.MAX_VALUE). */
  private final long maxAheadNs;

  /** Wall clock at the last read, and the limit from it; 0 before the first read. */
  private transient long nowNs;
  private transient long limitNs;
  private transient long clockReads;

  /** {@code maxAhead} null: no limit. */
  public FutureEventLimit(Duration maxAhead) {
    if (maxAhead != null && maxAhead.isNegative()) {
      throw new IllegalArgumentException("maxAhead must not be negative: " + maxAhead);
    }
    this.maxAheadNs = maxAhead == null ? Long.MAX_VALUE : saturatedNanos(maxAhead);
  }

  /** True when {@code timeNs} is no more than maxAhead beyond this job's clock. */
  public boolean admits(long timeNs) {
    if (timeNs <= limitNs) {
      return true;
    }
    nowNs = System.currentTimeMillis() * 1_000_000L;
    clockReads++;
    limitNs = nowNs > Long.MAX_VALUE - maxAheadNs ? Long.MAX_VALUE : nowNs + maxAheadNs;
    return timeNs <= limitNs;
  }

  /**
   * Why an event {@link #admits} refused was rejected: how far ahead it was and of which host.
   * One line whatever the host id holds.
   */
  public String reason(long timeNs, String hostId) {
    String ahead = String.format(Locale.ROOT, "%.1f", (timeNs - (double) nowNs) / 1e9);
    String host = hostId == null ? "" : " (host " + printable(hostId) + ")";
    return "FUTURE: event time " + ahead + " s ahead of this job's clock" + host + ", more than --max-ahead "
        + BigDecimal.valueOf(maxAheadNs, 9).stripTrailingZeros().toPlainString() + " s: check the host's clock (NTP)";
  }

  /** How often {@link #admits} read the clock (for tests and benchmarks). */
  long clockReads() {
    return clockReads;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
    }
    return s.length() > 64 ? b.append("...").toString() : b.toString();
  }
}

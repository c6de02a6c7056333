package dev.bpfstream.console;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time range of a view, from the URL: {@code from} and {@code to} each as {@code now}, a time
 * relative to now ({@code -15m}, {@code -2h}, {@code -30s}, {@code -1d}), epoch milliseconds, or an
 * ISO-8601 instant ({@code 2025-01-31T10:00:00Z}). Defaults: the last 15 minutes. A range longer
 * than {@link #MAX_SPAN} or ending before it starts is refused: no view scans more than that.
 */
record TimeRange(long fromMs, long toMs) {
  static final Duration DEFAULT_SPAN = Duration.ofMinutes(15);
  static final Duration MAX_SPAN = Duration.ofDays(7);
  private static final Pattern RELATIVE = Pattern.compile("-(\\d{1,9})(s|m|h|d)");
  private static final Pattern EPOCH_MS = Pattern.compile("\\d{1,15}");

  static TimeRange parse(String from, String to, long nowMs) {
    long t = to == null || to.isBlank() ? nowMs : instant("to", to, nowMs);
    long f = from == null || from.isBlank() ? t - DEFAULT_SPAN.toMillis() : instant("from", from, nowMs);
    if (f >= t) {
      throw BadRequest.of("time range: from (" + Instant.ofEpochMilli(f) + ") must be before to (" + Instant.ofEpochMilli(t) + ")");
    }
    if (t - f > MAX_SPAN.toMillis()) {
      throw BadRequest.of("time range of " + Duration.ofMillis(t - f).toDays() + " days is too long: at most "
          + MAX_SPAN.toDays() + " days (e.g. from=-1h)");
    }
    return new TimeRange(f, t);
  }

  private static long instant(String name, String text, long nowMs) {
    if (text.length() > 40) {
      throw BadRequest.of(name + ": too long; give now, -15m, epoch milliseconds or an ISO-8601 time");
    }
    if (text.equals("now")) {
      return nowMs;
    }
    Matcher m = RELATIVE.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      long unit = switch (m.group(2)) {
        case "s" -> 1_000L;
        case "m" -> 60_000L;
        case "h" -> 3_600_000L;
        default -> 86_400_000L;
      };
      return nowMs - n * unit;
    }
    if (EPOCH_MS.matcher(text).matches()) {
      return Long.parseLong(text);
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw BadRequest.of(name + "=" + Json.quoteForMessage(text) + " is not a time: give now, -15m, -2h, epoch milliseconds or an ISO-8601 time such as 2025-01-31T10:00:00Z");
    }
  }

  boolean containsNs(long timeNs) {
    long ms = timeNs / 1_000_000;
    return ms >= fromMs && ms < toMs;
  }

  /** Whether [startNs, endNs) overlaps this range. */
  boolean overlapsNs(long startNs, long endNs) {
    return endNs / 1_000_000 > fromMs && startNs / 1_000_000 < toMs;
  }
}

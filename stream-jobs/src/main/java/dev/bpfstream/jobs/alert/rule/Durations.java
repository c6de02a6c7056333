package dev.bpfstream.jobs.alert.rule;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in rules files: 500us, 50ms, 1.5s, 5m, 1h. */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h)");

  /** The longest duration a rule may give (a year): longer ones are typos, and would overflow when added to a time. */
  public static final long MAX_NANOS = 366L * 24 * 3600 * 1_000_000_000L;

  private Durations() {
  }

  /** Nanoseconds, or -1 when the text is not a duration with a unit. */
  public static long parseNanos(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return -1;
    }
    double n = Double.parseDouble(m.group(1));
    double unit = switch (m.group(2)) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
    return Math.round(n * unit);
  }

  /** A short readable form of a nanosecond value: 73.2ms, 1.50s, 850us. */
  public static String format(double ns) {
    double abs = Math.abs(ns);
    if (abs >= 60e9) {
      return trim(ns / 60e9) + "m";
    }
    if (abs >= 1e9) {
      return trim(ns / 1e9) + "s";
    }
    if (abs >= 1e6) {
      return trim(ns / 1e6) + "ms";
    }
    if (abs >= 1e3) {
      return trim(ns / 1e3) + "us";
    }
    return trim(ns) + "ns";
  }

  /** Up to three significant decimals, no trailing zeros. */
  public static String trim(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 10 ? "%.2f" : "%.3f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}

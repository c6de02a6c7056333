package dev.bpfstream.options;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every bpfstream command line, config file and rules file:
 * <ul>
 *   <li>a number and a unit: {@code 500ms}, {@code 10s}, {@code 1.5h}, {@code 250us}; units {@code ns},
 *       {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}, in any case,
 *       a space between number and unit allowed;</li>
 *   <li>several of them added up: {@code 1h30m}, {@code 1m 30s};</li>
 *   <li>ISO-8601: {@code PT10S}, {@code PT1H30M}, {@code P1D};</li>
 *   <li>{@code 0} alone: zero needs no unit (where an option takes zero at all).</li>
 * </ul>
 * Any other bare number is refused, with the fix: a unit-less {@code 10} was seconds to one command
 * and refused by another, so no command guesses. Negative durations do not exist here; a duration
 * must fit in a {@code long} of nanoseconds (292 years). Fractions of a nanosecond are rounded.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("[ \\t]*(\\d+(?:\\.\\d+)?)[ \\t]*(ns|us|µs|μs|ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
  private static final Pattern BARE_NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final String EXAMPLES = "10s, 500ms, 5m";

  private Durations() {
  }

  /**
   * {@code text} in the syntax above, or an {@link IllegalArgumentException} whose message, one line
   * quoting the input, is the whole error for the user.
   */
  public static Duration parse(String text) {
    String t = text.strip();
    if (BARE_NUMBER.matcher(t).matches()) {
      if (new BigDecimal(t).signum() == 0) {
        return Duration.ZERO;
      }
      throw new IllegalArgumentException(quote(text) + " needs a unit: "
          + (t.length() <= 20 ? t + "s, " + t + "ms, " + t + "m, ..." : EXAMPLES));
    }
    if (t.length() > 1 && (t.charAt(0) == 'P' || t.charAt(0) == 'p' || t.charAt(0) == '-' || t.charAt(0) == '+')) {
      return iso(text, t);
    }
    Matcher m = PART.matcher(t);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    do {
      if (!m.region(at, t.length()).lookingAt()) {
        throw new IllegalArgumentException(quote(text) + " is not a duration: write a number and a unit (ns, us, ms, s, m, h, d), e.g. "
            + EXAMPLES + ", 1h30m");
      }
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(unitNanos(m.group(2))));
      if (nanos.compareTo(MAX_NANOS) > 0) {
        throw tooLong(text);
      }
      at = m.end();
    } while (at < t.length());
    return Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact());
  }

  private static Duration iso(String text, String t) {
    Duration d;
    try {
      d = Duration.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(quote(text) + " is not a duration: write a number and a unit, e.g. " + EXAMPLES
          + ", or ISO-8601, e.g. PT10S");
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(quote(text) + " is negative: a duration here is zero or more, e.g. " + EXAMPLES);
    }
    if (BigInteger.valueOf(d.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L)).add(BigInteger.valueOf(d.getNano()))
        .compareTo(MAX_NANOS.toBigInteger()) > 0) {
      throw tooLong(text);
    }
    return d;
  }

  private static BigDecimal unitNanos(String unit) {
    return BigDecimal.valueOf(switch (unit.toLowerCase(Locale.ROOT)) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> 86_400_000_000_000L;
    });
  }

  private static IllegalArgumentException tooLong(String text) {
    return new IllegalArgumentException(quote(text) + " is too long a duration (at most 292 years)");
  }

  /** The input in quotes, control characters escaped and cut at 80 characters, so the message stays one short line. */
  static String quote(String text) {
    String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    StringBuilder b = new StringBuilder("'");
    cut.codePoints().forEach(c -> b.append(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
        ? String.format("\\u%04x", c) : Character.toString(c)));
    return b.append('\'').toString();
  }

  /** A short readable form of a nanosecond value: 73.2ms, 1.5s, 850us, 2m. */
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

  /** A number with up to three significant decimals and no trailing zeros: 1.5, 73.2, 12. */
  public static String trim(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 10 ? "%.2f" : "%.3f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}

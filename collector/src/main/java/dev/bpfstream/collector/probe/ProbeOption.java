package dev.bpfstream.collector.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bpfstream.collector.OneLine;
import dev.bpfstream.options.Durations;

/**
 * One per-probe limit, set as {@code --probe-option <probe>.<key>=<value>} and read by the probe
 * when it writes its load-time configuration. Parsing fails with a one-line message naming the fix.
 *
 * @param min  smallest value allowed (COUNT and SIZE: the number; DURATION: nanoseconds)
 * @param max  largest value allowed, same units
 */
public record ProbeOption(String key, Kind kind, String defaultValue, String description, long min, long max) {
  private static final Pattern SIZE = Pattern.compile("(\\d+)([KMG])?", Pattern.CASE_INSENSITIVE);

  public enum Kind { DURATION, SIZE, COUNT, BOOLEAN, LIST }

  public static ProbeOption duration(String key, String defaultValue, String description) {
    return new ProbeOption(key, Kind.DURATION, defaultValue, description, 0, Long.MAX_VALUE);
  }

  public static ProbeOption count(String key, long defaultValue, long min, long max, String description) {
    return new ProbeOption(key, Kind.COUNT, Long.toString(defaultValue), description, min, max);
  }

  /** Bytes, with an optional K/M/G suffix. */
  public static ProbeOption size(String key, long defaultValue, long min, long max, String description) {
    return new ProbeOption(key, Kind.SIZE, Long.toString(defaultValue), description, min, max);
  }

  public static ProbeOption flag(String key, boolean defaultValue, String description) {
    return new ProbeOption(key, Kind.BOOLEAN, Boolean.toString(defaultValue), description, 0, 1);
  }

  /** A comma-separated list of at most {@code maxItems} items of at most {@code maxItemLength} characters. */
  public static ProbeOption list(String key, String defaultValue, int maxItems, int maxItemLength, String description) {
    return new ProbeOption(key, Kind.LIST, defaultValue, description, maxItems, maxItemLength);
  }

  /** Checks {@code value}; the exception message is the whole user-facing error. */
  public Object parse(String probe, String value) {
    String v = value.trim();
    String where = "--probe-option " + probe + "." + key + "=" + OneLine.of(value) + ": ";
    return switch (kind) {
      case DURATION -> {
        long ns;
        try {
          ns = Durations.parse(v).toNanos();
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + e.getMessage());
        }
        if (ns < min || ns > max) {
          throw new IllegalArgumentException(where + "must be between " + Duration.ofNanos(min) + " and " + Duration.ofNanos(max));
        }
        yield Duration.ofNanos(ns);
      }
      case SIZE, COUNT -> {
        Matcher m = SIZE.matcher(v);
        if (!m.matches() || (kind == Kind.COUNT && m.group(2) != null)) {
          throw new IllegalArgumentException(where + (kind == Kind.SIZE ? "not a size; use e.g. 256, 4K, 1M" : "not a whole number"));
        }
        long n = number(m.group(1), where);
        if (m.group(2) != null) {
          int shift = switch (Character.toUpperCase(m.group(2).charAt(0))) {
            case 'K' -> 10;
            case 'M' -> 20;
            default -> 30;
          };
          n = n > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : n << shift;
        }
        if (n < min || n > max) {
          throw new IllegalArgumentException(where + "must be between " + min + " and " + max);
        }
        yield n;
      }
      case BOOLEAN -> switch (v.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on", "1" -> Boolean.TRUE;
        case "false", "no", "off", "0" -> Boolean.FALSE;
        default -> throw new IllegalArgumentException(where + "use true or false");
      };
      case LIST -> {
        List<String> items = new ArrayList<>();
        for (String s : v.split(",")) {
          if (!s.isBlank()) {
            items.add(s.trim());
          }
        }
        if (items.size() > min) {
          throw new IllegalArgumentException(where + "at most " + min + " items");
        }
        for (String s : items) {
          if (s.length() > max) {
            throw new IllegalArgumentException(where + "'" + OneLine.of(s) + "' is longer than " + max + " characters");
          }
        }
        yield List.copyOf(items);
      }
    };
  }

  /** The digits as a number; more than a long holds is out of any option's range. */
  private long number(String digits, String where) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + "must be at most " + max);
    }
  }
}

package dev.bpfstream.jobs.alert.rule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.bpfstream.options.Durations;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One YAML mapping of a rules file read key by key, every problem recorded with its line. Reading
 * the composed node tree (not constructed objects) is what keeps line numbers, and constructs
 * nothing from the file.
 */
final class YamlBlock {
  /** The longest duration a rule may give (a year): longer ones are typos, and would overflow when added to a time. */
  static final long MAX_DURATION_NANOS = 366L * 24 * 3600 * 1_000_000_000L;

  private final Node node;
  private final String what;
  private final List<RuleError> errors;
  private final String file;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  private YamlBlock(String file, Node node, String what, List<RuleError> errors) {
    this.file = file;
    this.node = node;
    this.what = what;
    this.errors = errors;
  }

  /** The mapping at {@code node}, or null (and an error) when it is something else. */
  static YamlBlock of(String file, Node node, String what, List<RuleError> errors) {
    if (!(node instanceof MappingNode m)) {
      errors.add(new RuleError(file, line(node), what + " must be a mapping of key: value lines"));
      return null;
    }
    YamlBlock b = new YamlBlock(file, node, what, errors);
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        b.error(t.getKeyNode(), "keys must be plain words");
        continue;
      }
      NodeTuple first = b.entries.putIfAbsent(k.getValue(), t);
      if (first != null) {
        b.error(k, "key '" + k.getValue() + "' appears twice (first at line " + line(first.getKeyNode()) + ")");
      }
    }
    return b;
  }

  /** The same mapping, naming itself differently in errors (once its id is known). */
  YamlBlock named(String newWhat) {
    YamlBlock b = new YamlBlock(file, node, newWhat, errors);
    b.entries.putAll(entries);
    return b;
  }

  static int line(Node n) {
    return n.getStartMark().getLine() + 1;
  }

  int line() {
    return line(node);
  }

  int line(String key) {
    NodeTuple t = entries.get(key);
    return t == null ? line() : line(t.getValueNode());
  }

  String what() {
    return what;
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  Node node(String key) {
    NodeTuple t = entries.get(key);
    return t == null ? null : t.getValueNode();
  }

  void error(Node at, String reason) {
    errors.add(new RuleError(file, at == null ? line() : line(at), what + ": " + reason));
  }

  void error(String key, String reason) {
    errors.add(new RuleError(file, line(key), what + ": " + reason));
  }

  /** A scalar value, or null (with an error when required or not a scalar). */
  String text(String key, boolean required) {
    Node n = node(key);
    if (n == null) {
      if (required) {
        error((Node) null, "'" + key + "' is missing");
      }
      return null;
    }
    if (!(n instanceof ScalarNode s) || s.getValue().isBlank()) {
      error(n, "'" + key + "' must be a single value");
      return null;
    }
    return s.getValue().trim();
  }

  /** A list of values; a single value counts as a list of one. */
  List<String> texts(String key) {
    Node n = node(key);
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (n instanceof ScalarNode s) {
      out.add(s.getValue().trim());
    } else if (n instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        if (item instanceof ScalarNode s) {
          out.add(s.getValue().trim());
        } else {
          error(item, "'" + key + "' must be a list of values");
        }
      }
    } else {
      error(n, "'" + key + "' must be a value or a list of values");
    }
    return out;
  }

  /** A positive whole number, or {@code fallback}. */
  int count(String key, int fallback, int min, int max) {
    String t = text(key, false);
    if (t == null) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(t);
      if (v < min || v > max) {
        error(key, "'" + key + "' must be between " + min + " and " + max + ", not " + t);
        return fallback;
      }
      return v;
    } catch (NumberFormatException e) {
      error(key, "'" + key + "' must be a whole number, not '" + t + "'");
      return fallback;
    }
  }

  /** A positive duration (50ms, 10s, 5m; see {@link Durations}) of at most a year in nanoseconds, or {@code fallback}. */
  long duration(String key, long fallback) {
    String t = text(key, false);
    if (t == null) {
      return fallback;
    }
    long ns;
    try {
      ns = Durations.parse(t).toNanos();
    } catch (IllegalArgumentException e) {
      error(key, "'" + key + "': " + e.getMessage());
      return fallback;
    }
    if (ns <= 0) {
      error(key, "'" + key + "' must be above zero, e.g. 30s, not '" + t + "'");
      return fallback;
    }
    if (ns > MAX_DURATION_NANOS) {
      error(key, "'" + key + "' must be at most a year (8784h), not '" + t + "'");
      return fallback;
    }
    return ns;
  }

  /** A number; durations are accepted (as nanoseconds) only where {@code unit} allows them. */
  Double number(String key, Unit unit) {
    String t = text(key, false);
    if (t == null) {
      return null;
    }
    // A unit ends in a letter; a plain number (even "0") is a number, which a latency figure refuses below.
    if (!t.isEmpty() && Character.isLetter(t.codePointBefore(t.length()))) {
      try {
        long ns = Durations.parse(t).toNanos();
        if (unit == Unit.PLAIN) {
          error(key, "'" + key + "' is a plain number for this figure, not a duration ('" + t + "')");
          return null;
        }
        return (double) ns;
      } catch (IllegalArgumentException e) {
        // not a duration: read as a number below ("NaN", "1e3f"), or refused there
      }
    }
    try {
      double v = Double.parseDouble(t);
      if (!Double.isFinite(v)) {
        error(key, "'" + key + "' must be a finite number, not '" + t + "'");
        return null;
      }
      if (unit == Unit.DURATION) {
        error(key, "'" + key + "' needs a unit for a latency figure (ns, us, ms, s), e.g. " + Durations.trim(v) + "ms");
        return null;
      }
      return v;
    } catch (NumberFormatException e) {
      error(key, "'" + key + "' must be a number" + (unit == Unit.DURATION ? " with a unit, e.g. 50ms" : "") + ", not '" + t + "'");
      return null;
    }
  }

  boolean flag(String key, boolean fallback) {
    String t = text(key, false);
    if (t == null) {
      return fallback;
    }
    return switch (t.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> {
        error(key, "'" + key + "' must be true or false, not '" + t + "'");
        yield fallback;
      }
    };
  }

  /** Records an error for every key not in {@code allowed}, suggesting the closest known one. */
  void rejectUnknown(Set<String> allowed, String context) {
    for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        String near = closest(e.getKey(), allowed);
        error(e.getValue().getKeyNode(), "unknown key '" + e.getKey() + "'"
            + (near != null ? " (did you mean '" + near + "'?)" : "")
            + "; " + context + " takes: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  static String closest(String word, Set<String> candidates) {
    String best = null;
    int bestDistance = 3;
    for (String c : candidates) {
      int d = distance(word, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** What a number may be: plain, a duration, or either (when the figure is unknown and already reported). */
  enum Unit { PLAIN, DURATION, ANY }
}

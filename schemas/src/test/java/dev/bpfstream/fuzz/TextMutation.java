package dev.bpfstream.fuzz;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One change to a valid text input (a config file, a rules file, a SQL statement): the typos, cut
 * files, stray syntax and odd characters people and tools produce. {@code at} is a fraction of the
 * text's length, so a mutation applies to any text and shrinks well.
 */
public record TextMutation(Kind kind, double at, int value) {
  public enum Kind { INSERT_SYNTAX, INSERT_CHAR, DELETE, TRUNCATE, DUPLICATE_LINE, DROP_LINE, SWAP_LINES, INDENT, REPLACE_WORD }

  /** What breaks YAML and SQL: structure, quoting, comments, anchors, control and non-ASCII characters. */
  private static final String[] SYNTAX = {":", ": ", "- ", "-", "[", "]", "{", "}", ",", "'", "\"", "`", "#", "--", "/*",
      "*/", ";", "&a ", "*a", "!!binary ", "!!int ", "|", ">", "%", "@", "\n", "\r\n", "\t", "  ", "\u0000", "\u001b[2J",
      "\uFEFF", "\u00e9", "\u2028", "\ud83d\ude00", "\\", "\\n", "null", "~", "true", "no", "0x7f", "-1", "1e309", "NaN",
      "99999999999999999999", "SELECT", "FROM", "WHERE", "GROUP BY", "(", ")", "*", "'unterminated", "<<: *a"};
  /** Words a mutation may put in place of another: keys, values and keywords from the inputs we own. */
  private static final String[] WORDS = {"interval", "probes", "probe-option", "ring-bytes", "id", "kind", "threshold",
      "above", "below", "rules", "defaults", "where", "source", "figure", "windows", "0", "-5", "1ms", "0s", "10h",
      "4096", "exec", "nosuch", "select", "TUMBLE", "HOP", "COUNT", "bpf_exec", "agg_latency", "ctx", "event_time",
      "INTERVAL", "'1' SECOND", "NULL", "CAST", "AS", "BIGINT", "ORDER BY", "LIMIT", "JOIN", "ON", "UNION ALL", "OVER"};

  public static Arbitrary<TextMutation> any() {
    return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.doubles().between(0, 1), Arbitraries.integers())
        .as(TextMutation::new);
  }

  public static Arbitrary<List<TextMutation>> some() {
    return any().list().ofMinSize(1).ofMaxSize(4);
  }

  public static String applyAll(String in, List<TextMutation> mutations) {
    String out = in;
    for (TextMutation m : mutations) {
      out = m.apply(out);
    }
    return out;
  }

  public String apply(String in) {
    int n = in.length();
    int i = Math.min((int) (at * n), n);
    String[] lines = in.split("\n", -1);
    int line = Math.min((int) (at * lines.length), lines.length - 1);
    return switch (kind) {
      case INSERT_SYNTAX -> in.substring(0, i) + SYNTAX[Math.floorMod(value, SYNTAX.length)] + in.substring(i);
      case INSERT_CHAR -> in.substring(0, i) + new String(Character.toChars(Math.floorMod(value, 0x3000))) + in.substring(i);
      case DELETE -> in.substring(0, i) + in.substring(Math.min(n, i + 1 + Math.floorMod(value, 12)));
      case TRUNCATE -> in.substring(0, i);
      case DUPLICATE_LINE -> {
        lines[line] = lines[line] + "\n" + lines[line];
        yield String.join("\n", lines);
      }
      case DROP_LINE -> {
        lines[line] = null;
        yield String.join("\n", java.util.Arrays.stream(lines).filter(java.util.Objects::nonNull).toList());
      }
      case SWAP_LINES -> {
        int other = Math.floorMod(value, lines.length);
        String t = lines[line];
        lines[line] = lines[other];
        lines[other] = t;
        yield String.join("\n", lines);
      }
      case INDENT -> {
        int by = Math.floorMod(value, 5) - 2;
        lines[line] = by >= 0 ? " ".repeat(by + 1) + lines[line] : lines[line].replaceFirst("^ {1,2}", "");
        yield String.join("\n", lines);
      }
      default -> {
        // The word (letters, digits, '-', '_', '.') around position i becomes another one.
        int s = i;
        while (s > 0 && isWordChar(in.charAt(s - 1))) {
          s--;
        }
        int e = i;
        while (e < n && isWordChar(in.charAt(e))) {
          e++;
        }
        yield in.substring(0, s) + WORDS[Math.floorMod(value, WORDS.length)] + in.substring(e);
      }
    };
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.';
  }
}

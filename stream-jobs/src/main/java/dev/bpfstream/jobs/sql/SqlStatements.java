package dev.bpfstream.jobs.sql;

import java.util.ArrayList;
import java.util.List;

/** Splits a SQL script at semicolons outside quotes and comments; drops empty statements. */
public final class SqlStatements {
  private SqlStatements() {
  }

  public static List<String> split(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int n = script.length();
    for (int i = 0; i < n; i++) {
      char c = script.charAt(i);
      if (c == '\'' || c == '`' || c == '"') {
        int end = i + 1;
        while (end < n) {
          if (script.charAt(end) == c) {
            if (end + 1 < n && script.charAt(end + 1) == c) {
              end += 2;
              continue;
            }
            break;
          }
          end++;
        }
        cur.append(script, i, Math.min(end + 1, n));
        i = end;
      } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        end = end < 0 ? n : end;
        cur.append(script, i, end);
        i = end - 1;
      } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        cur.append(script, i, end);
        i = end - 1;
      } else if (c == ';') {
        add(out, cur);
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    add(out, cur);
    return out;
  }

  /** The deepest nesting of parentheses in {@code statement}, outside quotes and comments. */
  public static int nesting(String statement) {
    int depth = 0;
    int max = 0;
    int n = statement.length();
    for (int i = 0; i < n; i++) {
      char c = statement.charAt(i);
      if (c == '\'' || c == '`' || c == '"') {
        int end = i + 1;
        while (end < n && !(statement.charAt(end) == c && (end + 1 >= n || statement.charAt(end + 1) != c))) {
          end += statement.charAt(end) == c ? 2 : 1;
        }
        i = end;
      } else if (c == '-' && i + 1 < n && statement.charAt(i + 1) == '-') {
        int end = statement.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && statement.charAt(i + 1) == '*') {
        int end = statement.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 1;
      } else if (c == '(') {
        max = Math.max(max, ++depth);
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
      }
    }
    return max;
  }

  private static void add(List<String> out, StringBuilder statement) {
    String s = statement.toString().strip();
    if (!withoutComments(s).isBlank()) {
      out.add(s);
    }
  }

  static String withoutComments(String s) {
    return s.replaceAll("(?m)--.*$", "").replaceAll("(?s)/\\*.*?\\*/", "");
  }
}

package dev.bpfstream.jobs.sql;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * The current result of a streaming query, kept from its changelog: inserts add a row, retractions
 * (-U, -D) remove one equal row, in arrival order. Renders as a plain text table.
 */
public final class LiveTable {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private final List<String> columns;
  private final List<List<String>> rows = new ArrayList<>();
  private long changes;

  public LiveTable(List<String> columns) {
    this.columns = List.copyOf(columns);
  }

  public void apply(Row row) {
    changes++;
    List<String> cells = cells(row);
    if (row.getKind() == RowKind.INSERT || row.getKind() == RowKind.UPDATE_AFTER) {
      rows.add(cells);
    } else {
      rows.remove(cells);
    }
  }

  public List<List<String>> rows() {
    return rows;
  }

  public long changes() {
    return changes;
  }

  /** One line per change: the change kind then the cells. */
  public static String changeLine(Row row) {
    return row.getKind().shortString() + " | " + String.join(" | ", cells(row));
  }

  static List<String> cells(Row row) {
    List<String> cells = new ArrayList<>(row.getArity());
    for (int i = 0; i < row.getArity(); i++) {
      cells.add(show(row.getField(i)));
    }
    return cells;
  }

  static String show(Object v) {
    if (v == null) {
      return "(null)";
    }
    if (v instanceof Instant t) {
      return time(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }
    if (v instanceof LocalDateTime t) {
      return time(t);
    }
    if (v instanceof Double d) {
      return dev.bpfstream.options.Durations.trim(d);
    }
    if (v instanceof Float f) {
      return dev.bpfstream.options.Durations.trim(f);
    }
    if (v instanceof Object[] a) {
      return Arrays.deepToString(a);
    }
    if (v instanceof Map<?, ?> m) {
      return new java.util.TreeMap<>(m).toString();
    }
    return v.toString();
  }

  /** Times in UTC, milliseconds only when there are some. */
  static String time(LocalDateTime t) {
    return (t.getNano() == 0 ? SECONDS : MILLIS).format(t);
  }

  /** The table with at most {@code maxRows} rows (the most recent ones when there are more). */
  public String render(int maxRows) {
    int from = Math.max(0, rows.size() - maxRows);
    List<List<String>> shown = rows.subList(from, rows.size());
    int[] width = new int[columns.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = columns.get(i).length();
      for (List<String> r : shown) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    String rule = rule(width);
    b.append(rule).append(line(columns, width)).append(rule);
    for (List<String> r : shown) {
      b.append(line(r, width));
    }
    b.append(rule);
    b.append(rows.size()).append(rows.size() == 1 ? " row" : " rows");
    if (from > 0) {
      b.append(" (showing the last ").append(maxRows).append(')');
    }
    b.append(System.lineSeparator());
    return b.toString();
  }

  private static String rule(int[] width) {
    StringBuilder b = new StringBuilder("+");
    for (int w : width) {
      b.append("-".repeat(w + 2)).append('+');
    }
    return b.append(System.lineSeparator()).toString();
  }

  private static String line(List<String> cells, int[] width) {
    StringBuilder b = new StringBuilder("|");
    for (int i = 0; i < width.length; i++) {
      String c = cells.get(i);
      b.append(' ').append(c).append(" ".repeat(width[i] - c.length())).append(" |");
    }
    return b.append(System.lineSeparator()).toString();
  }
}

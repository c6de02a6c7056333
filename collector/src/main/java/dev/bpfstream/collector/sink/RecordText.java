package dev.bpfstream.collector.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.TaskContext;
import dev.bpfstream.schema.Topic;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * `--format text`: one aligned line per record, as execsnoop and opensnoop print them: time, event
 * (the topic without its `bpf.` prefix), pid, comm, then the record's own fields as name=value.
 * For the snoop probes only the fields that tool shows, the last one bare if it is text (path,
 * argv, command); for the others every field. A header line comes first. Control characters in
 * strings are escaped, so a record is always one line.
 */
final class RecordText {
  static final String HEADER = String.format("%-12s %-12s %7s %-16s %s%n", "TIME", "EVENT", "PID", "COMM", "DETAIL");
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
  /** What the BCC tool of the same name prints; the last field is printed without its name. */
  private static final Map<Topic, List<String>> SNOOP_FIELDS = new EnumMap<>(Map.of(
      Topic.EXEC, List.of("retval", "argv"),
      Topic.OPEN, List.of("fd", "errno", "path"),
      Topic.EXIT, List.of("exitCode", "signal", "lifetimeNs"),
      Topic.SHELL, List.of("command")));

  private final StringBuilder line = new StringBuilder(256);
  private boolean headerDone;
  private long cachedSecond = Long.MIN_VALUE;
  private String cachedSecondText = "";

  void write(OutputStream out, Topic topic, IndexedRecord record) throws IOException {
    line.setLength(0);
    if (!headerDone) {
      line.append(HEADER);
      headerDone = true;
    }
    Schema schema = record.getSchema();
    Schema.Field ctxField = schema.getField("ctx");
    TaskContext ctx = ctxField != null && record.get(ctxField.pos()) instanceof TaskContext c ? c : null;
    Schema.Field timeField = schema.getField("timeNs");
    long timeNs = ctx != null ? ctx.getTimeNs()
        : timeField != null && record.get(timeField.pos()) instanceof Long t ? t : System.currentTimeMillis() * 1_000_000L;
    time(timeNs);
    pad(event(topic), 12);
    String pid = ctx == null ? "-" : Integer.toString(ctx.getPid());
    line.append(' ').append(" ".repeat(Math.max(0, 7 - pid.length()))).append(pid).append(' ');
    pad(ctx == null ? "-" : escaped(ctx.getComm()), 16);
    line.append(' ');
    List<String> fields = SNOOP_FIELDS.get(topic);
    if (fields != null) {
      for (int i = 0; i < fields.size(); i++) {
        Schema.Field f = schema.getField(fields.get(i));
        Object v = record.get(f.pos());
        line.append(i == 0 ? "" : " ");
        if (i == fields.size() - 1 && (v instanceof CharSequence || v instanceof List)) {
          bare(v);
        } else {
          named(f, v);
        }
      }
    } else {
      boolean first = true;
      for (Schema.Field f : schema.getFields()) {
        if (f == ctxField) {
          continue;
        }
        if (!first) {
          line.append(' ');
        }
        first = false;
        named(f, record.get(f.pos()));
      }
    }
    line.append('\n');
    out.write(line.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String event(Topic topic) {
    String name = topic.topicName();
    return name.startsWith("bpf.") ? name.substring(4) : name;
  }

  private void time(long epochNs) {
    long second = Math.floorDiv(epochNs, 1_000_000_000L);
    if (second != cachedSecond) {
      cachedSecond = second;
      cachedSecondText = SECONDS.format(Instant.ofEpochSecond(second));
    }
    long millis = Math.floorMod(epochNs, 1_000_000_000L) / 1_000_000;
    line.append(cachedSecondText).append('.');
    if (millis < 100) {
      line.append(millis < 10 ? "00" : "0");
    }
    line.append(millis).append(' ');
  }

  private void pad(String s, int width) {
    line.append(s);
    for (int i = s.length(); i < width; i++) {
      line.append(' ');
    }
  }

  private void named(Schema.Field f, Object v) {
    line.append(f.name()).append('=');
    value(v);
  }

  /** A string as it is; an array of strings joined by spaces (argv). */
  private void bare(Object v) {
    if (v instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        line.append(i == 0 ? "" : " ").append(escaped(String.valueOf(list.get(i))));
      }
    } else {
      value(v);
    }
  }

  private void value(Object v) {
    if (v == null) {
      line.append('-');
    } else if (v instanceof IndexedRecord r) {
      line.append('{');
      List<Schema.Field> fields = r.getSchema().getFields();
      for (int i = 0; i < fields.size(); i++) {
        line.append(i == 0 ? "" : " ");
        named(fields.get(i), r.get(i));
      }
      line.append('}');
    } else if (v instanceof List<?> list) {
      line.append('[');
      for (int i = 0; i < list.size(); i++) {
        line.append(i == 0 ? "" : ",");
        value(list.get(i));
      }
      line.append(']');
    } else if (v instanceof Map<?, ?> map) {
      line.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        line.append(first ? "" : " ").append(escaped(e.getKey().toString())).append('=');
        value(e.getValue());
        first = false;
      }
      line.append('}');
    } else if (v instanceof CharSequence cs) {
      line.append(escaped(cs.toString()));
    } else {
      line.append(v); // numbers, booleans, enum symbols
    }
  }

  /** Control characters as \n, \t or \xNN: one record, one line. */
  static String escaped(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int j = 0; j < s.length(); j++) {
          char c = s.charAt(j);
          switch (c) {
            case '\n' -> b.append("\\n");
            case '\t' -> b.append("\\t");
            case '\r' -> b.append("\\r");
            default -> {
              if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
              } else {
                b.append(c);
              }
            }
          }
        }
        return b.toString();
      }
    }
    return s;
  }
}

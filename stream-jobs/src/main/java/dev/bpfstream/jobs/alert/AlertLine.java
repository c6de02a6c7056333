package dev.bpfstream.jobs.alert;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import dev.bpfstream.event.Alert;
import dev.bpfstream.options.Durations;

/** How {@code alerts tail} shows one alert record: one line, then its evidence indented. */
public final class AlertLine {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private AlertLine() {
  }

  public static String format(Alert a, boolean evidence) {
    long at = a.getState().name().equals("RESOLVED") ? a.getWindowEndNs() : a.getLastSeenNs();
    StringBuilder b = new StringBuilder();
    b.append(TIME.format(Instant.ofEpochSecond(0, at))).append("Z ")
        .append(pad(a.getState().name(), 8)).append(' ')
        .append(pad(a.getSeverity().name(), 8)).append(' ')
        .append(a.getRuleId()).append(": ").append(a.getMessage());
    if (a.getValue() != null || a.getThreshold() != null) {
      b.append(" [value ").append(a.getValue() == null ? "-" : Durations.trim(a.getValue()))
          .append(", threshold ").append(a.getThreshold() == null ? "-" : Durations.trim(a.getThreshold())).append(']');
    }
    b.append(" {").append(a.getAlertId()).append('}');
    if (evidence) {
      for (String e : a.getEvidence()) {
        b.append(System.lineSeparator()).append("    - ").append(e);
      }
    }
    return b.toString();
  }

  private static String pad(String s, int n) {
    return s.length() >= n ? s : s + " ".repeat(n - s.length());
  }
}

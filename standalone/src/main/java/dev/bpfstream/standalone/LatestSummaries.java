package dev.bpfstream.standalone;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.CommandEntry;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.ProbeHealth;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.WorkloadSummary;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the terminal view shows: the latest window's workload and latency summaries, the alerts
 * still open and each collector's health, and the frame they make, fitted to the rows there are
 * (each section gives up its last rows until the frame fits, and says how many it shows).
 */
final class LatestSummaries {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  static final int WORKLOAD_ROWS = 12;
  static final int LATENCY_ROWS = 14;
  static final int COMMANDS_PER_ROW = 3;

  private final long windowNs;
  private final Map<String, WorkloadSummary> workloads = new LinkedHashMap<>();
  private final Map<String, LatencySummary> latencies = new LinkedHashMap<>();
  private final Map<String, Alert> alerts = new LinkedHashMap<>();
  private final Map<String, CollectorHealth> health = new LinkedHashMap<>();
  private final Map<String, CollectorHealth> previousHealth = new HashMap<>();

  LatestSummaries(long windowNs) {
    this.windowNs = windowNs;
  }

  void accept(SpecificRecord r) {
    if (r instanceof WorkloadSummary w) {
      if (w.getWindowSizeNs() == windowNs) { // the view shows windows, not the rollup
        workloads.put(w.getScope() + "|" + w.getHostId() + "|" + w.getContainerId() + "|" + w.getNamespace(), w);
      }
    } else if (r instanceof LatencySummary l) {
      latencies.put(l.getKind() + "|" + l.getScope() + "|" + l.getHostId() + "|" + l.getDimension() + "|" + l.getDimensionValue(), l);
    } else if (r instanceof Alert a) {
      if (a.getState() == AlertState.RESOLVED) {
        alerts.remove(a.getAlertId());
      } else {
        alerts.put(a.getAlertId(), a);
      }
    } else if (r instanceof CollectorHealth h) {
      CollectorHealth prev = health.put(h.getHostId(), h);
      if (prev != null) {
        previousHealth.put(h.getHostId(), prev);
      }
    }
  }

  /** One section of the frame: a title, maybe column names, and its rows (one or more lines each). */
  private static final class Section {
    final String title;
    final String columns;
    final String empty;
    final List<List<String>> rows;
    final int all;
    final boolean blankAfter;

    Section(String title, String columns, String empty, List<List<String>> rows, boolean blankAfter) {
      this.title = title;
      this.columns = columns;
      this.empty = empty;
      this.rows = new ArrayList<>(rows);
      this.all = rows.size();
      this.blankAfter = blankAfter;
    }

    int rowLines() {
      return rows.stream().mapToInt(List::size).sum();
    }

    int lines() {
      return 1 + (columns != null && !rows.isEmpty() ? 1 : 0) + (rows.isEmpty() ? 1 : rowLines()) + (blankAfter ? 1 : 0);
    }

    List<String> render() {
      List<String> out = new ArrayList<>();
      out.add(!rows.isEmpty() && rows.size() < all ? title + "   [" + rows.size() + " of " + all + "; a taller terminal shows more]" : title);
      if (rows.isEmpty()) {
        out.add(all > 0 ? "  (" + all + " not shown: the terminal is too small)" : empty);
      } else {
        if (columns != null) {
          out.add(columns);
        }
        rows.forEach(out::addAll);
      }
      if (blankAfter) {
        out.add("");
      }
      return out;
    }
  }

  /** The frame, at most {@code maxLines} long where the sections can shrink that far. */
  List<String> frame(String header, Instant now, int maxLines) {
    Section health = healthSection();
    Section workloads = workloadSection();
    Section latencies = latencySection();
    Section alerts = alertSection();
    List<Section> sections = List.of(health, workloads, latencies, alerts);
    // Workloads and latencies give up rows first, the bigger first; alerts and hosts only after them.
    List<List<Section>> shrinkOrder = List.of(List.of(workloads, latencies), List.of(alerts, health));
    int lines = 2 + sections.stream().mapToInt(Section::lines).sum();
    while (lines > maxLines) {
      Section biggest = shrinkOrder.stream()
          .map(group -> group.stream().filter(s -> !s.rows.isEmpty()).max(Comparator.comparingInt(Section::rowLines)).orElse(null))
          .filter(java.util.Objects::nonNull).findFirst().orElse(null);
      if (biggest == null) {
        break;
      }
      int before = biggest.lines();
      biggest.rows.remove(biggest.rows.size() - 1);
      lines -= before - biggest.lines();
    }
    List<String> out = new ArrayList<>();
    out.add(header + "   " + TIME.format(now) + " UTC   (Ctrl-C stops)");
    out.add("");
    sections.forEach(s -> out.addAll(s.render()));
    return out;
  }

  private Section healthSection() {
    List<List<String>> rows = new ArrayList<>();
    for (CollectorHealth h : health.values()) {
      CollectorHealth prev = previousHealth.get(h.getHostId());
      long delivered = h.getProbes().stream().mapToLong(ProbeHealth::getDelivered).sum();
      long lost = h.getProbes().stream().mapToLong(p -> p.getLostKernel() + p.getLostUser()).sum();
      double rate = 0;
      if (prev != null && h.getTimeNs() > prev.getTimeNs()) {
        long before = prev.getProbes().stream().mapToLong(ProbeHealth::getDelivered).sum();
        rate = (delivered - before) / ((h.getTimeNs() - prev.getTimeNs()) / 1e9);
      }
      List<String> probes = new ArrayList<>();
      for (ProbeHealth p : h.getProbes()) {
        probes.add(p.getProbe() + (p.getAttached() ? "" : " (not attached)"));
      }
      rows.add(List.of(String.format("  %-20s %8.0f events/s   lost %d   produced %d   rss %d MB   probes: %s",
          h.getHostname(), rate, lost, h.getProbes().stream().mapToLong(ProbeHealth::getProduced).sum(),
          h.getRssBytes() >> 20, String.join(", ", probes))));
    }
    return new Section("COLLECTOR", null, "  (no health report yet)", rows, true);
  }

  private Section workloadSection() {
    long latestEnd = workloads.values().stream().mapToLong(WorkloadSummary::getWindowEndNs).max().orElse(0);
    List<List<String>> rows = new ArrayList<>();
    workloads.values().stream().filter(w -> w.getWindowEndNs() == latestEnd)
        .sorted(Comparator.comparingDouble((WorkloadSummary w) -> -figure(w, "events_per_s"))).limit(WORKLOAD_ROWS)
        .forEach(w -> {
          String name = switch (w.getScope()) {
            case FLEET -> "fleet";
            case HOST -> String.valueOf(w.getHostname());
            case CONTAINER -> abbreviate(String.valueOf(w.getContainerId()), 12);
            case NAMESPACE -> String.valueOf(w.getNamespace());
          };
          List<String> lines = new ArrayList<>();
          lines.add(String.format("  %-10s %-24s %9.1f %7.1f %8.1f %7.1f %7.1f  %s", w.getScope(), abbreviate(name, 24),
              figure(w, "events_per_s"), figure(w, "exec_per_s"), figure(w, "opens_per_s"),
              figure(w, "read_iops") + figure(w, "write_iops"), figure(w, "tcp_connects_per_s") + figure(w, "tcp_accepts_per_s"),
              commands(w.getTopCommands())));
          if (!w.getBiggestMovers().isEmpty() && w.getScope() != Scope.FLEET) {
            lines.add("             changing: " + String.join(", ", w.getBiggestMovers()));
          }
          rows.add(lines);
        });
    return new Section("TOP WORKLOADS (who / what, last window)",
        String.format("  %-10s %-24s %9s %7s %8s %7s %7s  %s", "SCOPE", "NAME", "EVENTS/S", "EXEC/S", "OPENS/S",
            "IOPS", "TCP/S", "TOP COMMANDS: name xPROCESSES (EVENTS)"),
        "  (no window closed yet)", rows, true);
  }

  /** "true x30 (60)": 30 processes of true made 60 events; the executable's name follows when it is not the command's. */
  static String commands(List<CommandEntry> top) {
    List<String> out = new ArrayList<>();
    for (CommandEntry c : top) {
      if (out.size() == COMMANDS_PER_ROW) {
        break;
      }
      String exeName = c.getExe().substring(c.getExe().lastIndexOf('/') + 1);
      String name = exeName.isEmpty() || c.getComm().startsWith(exeName) || exeName.startsWith(c.getComm())
          ? c.getComm() : c.getComm() + "[" + exeName + "]";
      out.add(name + (c.getProcesses() > 1 ? " x" + c.getProcesses() : "") + " (" + c.getEvents() + ")");
    }
    return String.join("  ", out);
  }

  private Section latencySection() {
    long latestEnd = latencies.values().stream().mapToLong(LatencySummary::getWindowEndNs).max().orElse(0);
    List<List<String>> rows = new ArrayList<>();
    latencies.values().stream().filter(l -> l.getWindowEndNs() == latestEnd && l.getScope() != Scope.FLEET)
        .sorted(Comparator.comparing((LatencySummary l) -> l.getKind().toString()).thenComparing(l -> -l.getCount()))
        .limit(LATENCY_ROWS)
        .forEach(l -> rows.add(List.of(String.format("  %-12s %-9s %-28s %9s %9s %9s %9s  n=%d%s", l.getKind(), l.getScope(),
            abbreviate(l.getDimension() + "=" + l.getDimensionValue(), 28), ns(l.getP50Ns()), ns(l.getP90Ns()),
            ns(l.getP99Ns()), ns(l.getMaxNs()), l.getCount(), l.getLostEvents() > 0 ? " (lost " + l.getLostEvents() + ")" : ""))));
    return new Section("LATENCY (p50 / p90 / p99 / max)", null, "  (no latency window yet)", rows, true);
  }

  private Section alertSection() {
    List<List<String>> rows = new ArrayList<>();
    for (Alert a : alerts.values()) {
      rows.add(List.of(String.format("  %-8s %-28s %-30s %s", a.getSeverity(), a.getRuleId(), abbreviate(a.getSubject(), 30),
          a.getMessage().replaceAll("\\s+", " "))));
    }
    return new Section("ALERTS", null, "  (none)", rows, false);
  }

  static String ns(long ns) {
    if (ns < 10_000) {
      return ns + "ns";
    }
    if (ns < 10_000_000) {
      return String.format("%.1fus", ns / 1e3);
    }
    if (ns < 10_000_000_000L) {
      return String.format("%.1fms", ns / 1e6);
    }
    return String.format("%.1fs", ns / 1e9);
  }

  private static double figure(WorkloadSummary w, String name) {
    Double d = w.getFigures().get(name);
    return d == null ? 0 : d;
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "~";
  }
}

package dev.bpfstream.standalone;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.ProbeHealth;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.TopEntry;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import dev.bpfstream.schema.WireFormatException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The terminal view of `up`: reads the summary, alert and health topics and, once per window,
 * prints the top workloads, latency percentiles, current alerts and collector health. Plain text
 * (works over ssh; the screen is cleared first only on a terminal). With {@code json}, every
 * summary is printed as one JSON line as it arrives instead.
 */
final class LiveView implements AutoCloseable {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final List<Topic> TOPICS = List.of(Topic.WORKLOAD, Topic.LATENCY, Topic.ALERTS, Topic.HEALTH);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final PrintStream out;
  private final boolean json;
  private final boolean terminal;
  private final Duration window;
  private final String header;
  private final Map<Topic, WireCodec<? extends SpecificRecord>> codecs = new HashMap<>();
  private final Map<String, WorkloadSummary> workloads = new LinkedHashMap<>();
  private final Map<String, LatencySummary> latencies = new LinkedHashMap<>();
  private final Map<String, Alert> alerts = new LinkedHashMap<>();
  private final Map<String, CollectorHealth> health = new LinkedHashMap<>();
  private final Map<String, CollectorHealth> previousHealth = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private long rejected;

  LiveView(Map<String, Object> clientProperties, PrintStream out, boolean json, Duration window, String header) {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bpfstream-view-" + UUID.randomUUID());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = TOPICS.stream().map(t -> new TopicPartition(t.topicName(), 0)).toList();
    consumer.assign(parts);
    consumer.seekToEnd(parts); // live: what happens from now on
    parts.forEach(consumer::position);
    this.out = out;
    this.json = json;
    this.terminal = System.console() != null && !json;
    this.window = window;
    this.header = header;
    for (Topic t : TOPICS) {
      codecs.put(t, WireCodec.of(t.recordType()));
    }
    this.thread = new Thread(this::run, "live-view");
    this.thread.setDaemon(true);
  }

  LiveView start() {
    thread.start();
    return this;
  }

  private void run() {
    long nextRender = System.nanoTime() + window.toNanos();
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          accept(Topic.byName(r.topic()), r.value());
        }
        if (!json && System.nanoTime() >= nextRender) {
          render();
          nextRender = System.nanoTime() + window.toNanos();
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void accept(Topic topic, byte[] value) {
    SpecificRecord r;
    try {
      r = codecs.get(topic).decode(value);
    } catch (WireFormatException e) {
      rejected++;
      return;
    }
    if (json) {
      out.println("{\"topic\": \"" + topic.topicName() + "\", \"record\": " + r + "}");
      out.flush();
      return;
    }
    if (r instanceof WorkloadSummary w) {
      if (w.getWindowSizeNs() == window.toNanos()) { // the view shows windows, not the rollup
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

  private void render() {
    StringBuilder sb = new StringBuilder();
    if (terminal) {
      sb.append("\033[H\033[2J");
    } else {
      sb.append("\n");
    }
    sb.append(header).append("   ").append(TIME.format(Instant.now())).append(" UTC   (Ctrl-C stops)\n\n");
    renderHealth(sb);
    renderWorkloads(sb);
    renderLatencies(sb);
    renderAlerts(sb);
    out.print(sb);
    out.flush();
  }

  private void renderHealth(StringBuilder sb) {
    sb.append("COLLECTOR\n");
    if (health.isEmpty()) {
      sb.append("  (no health report yet)\n\n");
      return;
    }
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
      sb.append(String.format("  %-20s %8.0f events/s   lost %d   produced %d   rss %d MB   probes: %s%n",
          h.getHostname(), rate, lost, h.getProbes().stream().mapToLong(ProbeHealth::getProduced).sum(),
          h.getRssBytes() >> 20, String.join(", ", probes)));
    }
    sb.append('\n');
  }

  private void renderWorkloads(StringBuilder sb) {
    sb.append("TOP WORKLOADS (who / what, last window)\n");
    if (workloads.isEmpty()) {
      sb.append("  (no window closed yet)\n\n");
      return;
    }
    long latestEnd = workloads.values().stream().mapToLong(WorkloadSummary::getWindowEndNs).max().orElse(0);
    List<WorkloadSummary> rows = workloads.values().stream().filter(w -> w.getWindowEndNs() == latestEnd)
        .sorted(Comparator.comparingDouble((WorkloadSummary w) -> -figure(w, "events_per_s"))).limit(12).toList();
    sb.append(String.format("  %-10s %-24s %9s %7s %8s %7s %7s  %s%n", "SCOPE", "NAME", "EVENTS/S", "EXEC/S", "OPENS/S",
        "IOPS", "TCP/S", "TOP PROCESSES"));
    for (WorkloadSummary w : rows) {
      String name = switch (w.getScope()) {
        case FLEET -> "fleet";
        case HOST -> String.valueOf(w.getHostname());
        case CONTAINER -> abbreviate(String.valueOf(w.getContainerId()), 12);
        case NAMESPACE -> String.valueOf(w.getNamespace());
      };
      List<String> top = new ArrayList<>();
      for (TopEntry e : w.getTopProcesses()) {
        if (top.size() == 3) {
          break;
        }
        top.add(e.getKey() + "(" + e.getEvents() + ")");
      }
      sb.append(String.format("  %-10s %-24s %9.1f %7.1f %8.1f %7.1f %7.1f  %s%n", w.getScope(), abbreviate(name, 24),
          figure(w, "events_per_s"), figure(w, "exec_per_s"), figure(w, "opens_per_s"),
          figure(w, "read_iops") + figure(w, "write_iops"), figure(w, "tcp_connects_per_s") + figure(w, "tcp_accepts_per_s"),
          String.join(" ", top)));
      if (!w.getBiggestMovers().isEmpty() && w.getScope() != Scope.FLEET) {
        sb.append("             changing: ").append(String.join(", ", w.getBiggestMovers())).append('\n');
      }
    }
    sb.append('\n');
  }

  private void renderLatencies(StringBuilder sb) {
    sb.append("LATENCY (p50 / p90 / p99 / max)\n");
    if (latencies.isEmpty()) {
      sb.append("  (no latency window yet)\n\n");
      return;
    }
    long latestEnd = latencies.values().stream().mapToLong(LatencySummary::getWindowEndNs).max().orElse(0);
    latencies.values().stream().filter(l -> l.getWindowEndNs() == latestEnd && l.getScope() != Scope.FLEET)
        .sorted(Comparator.comparing((LatencySummary l) -> l.getKind().toString()).thenComparing(l -> -l.getCount()))
        .limit(14)
        .forEach(l -> sb.append(String.format("  %-12s %-9s %-28s %9s %9s %9s %9s  n=%d%s%n", l.getKind(), l.getScope(),
            abbreviate(l.getDimension() + "=" + l.getDimensionValue(), 28), ns(l.getP50Ns()), ns(l.getP90Ns()),
            ns(l.getP99Ns()), ns(l.getMaxNs()), l.getCount(), l.getLostEvents() > 0 ? " (lost " + l.getLostEvents() + ")" : "")));
    sb.append('\n');
  }

  private void renderAlerts(StringBuilder sb) {
    sb.append("ALERTS\n");
    if (alerts.isEmpty()) {
      sb.append("  (none)\n");
      return;
    }
    for (Alert a : alerts.values()) {
      sb.append(String.format("  %-8s %-28s %-30s %s%n", a.getSeverity(), a.getRuleId(), abbreviate(a.getSubject(), 30), a.getMessage()));
    }
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

  long rejected() {
    return rejected;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

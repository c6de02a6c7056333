package dev.bpfstream.collector.health;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpServer;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.ProbeHealth;

/**
 * Prometheus text format of the latest health report at http://127.0.0.1:PORT/metrics; with a token,
 * only for requests that carry it ({@code Authorization: Bearer TOKEN}, Prometheus'
 * {@code authorization.credentials_file}), others get 401.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer server;

  public MetricsEndpoint(String bindAddress, int port, Supplier<CollectorHealth> latest) throws IOException {
    this(bindAddress, port, null, latest);
  }

  /** @param token the bearer token every request must carry, null for none */
  public MetricsEndpoint(String bindAddress, int port, String token, Supplier<CollectorHealth> latest) throws IOException {
    byte[] expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress(bindAddress, port), 8);
    server.createContext("/metrics", exchange -> {
      if (expected != null) {
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
          exchange.sendResponseHeaders(401, -1);
          exchange.close();
          return;
        }
      }
      byte[] body = render(latest.get()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  static String render(CollectorHealth h) {
    StringBuilder sb = new StringBuilder();
    if (h == null) {
      return "# no report yet\n";
    }
    counter(sb, "bpfstream_probe_attempted_total", "Events the BPF side tried to emit", h, ProbeHealth::getAttempted);
    counter(sb, "bpfstream_probe_delivered_total", "Records read from the ring", h, ProbeHealth::getDelivered);
    counter(sb, "bpfstream_probe_lost_kernel_total", "Records lost because the ring was full", h, ProbeHealth::getLostKernel);
    counter(sb, "bpfstream_probe_lost_user_total", "Perf lost-sample records", h, ProbeHealth::getLostUser);
    counter(sb, "bpfstream_probe_parse_errors_total", "Records that could not be decoded", h, ProbeHealth::getParseErrors);
    counter(sb, "bpfstream_probe_produced_total", "Records acknowledged by the sink", h, ProbeHealth::getProduced);
    counter(sb, "bpfstream_probe_spooled_total", "Records written to the spool", h, ProbeHealth::getSpooled);
    counter(sb, "bpfstream_probe_dropped_total", "Records dropped after reading", h, ProbeHealth::getDropped);
    counter(sb, "bpfstream_probe_rate_limited_total", "Records dropped by rate limits", h, ProbeHealth::getRateLimited);
    counter(sb, "bpfstream_probe_overflow_total", "Events not tracked because a bounded BPF map was full", h, ProbeHealth::getOverflow);
    sb.append("# HELP bpfstream_probe_attached 1 when the probe is attached\n# TYPE bpfstream_probe_attached gauge\n");
    for (ProbeHealth p : h.getProbes()) {
      sb.append("bpfstream_probe_attached{probe=\"").append(p.getProbe()).append("\"} ").append(p.getAttached() ? 1 : 0).append('\n');
    }
    sb.append("# TYPE bpfstream_collector_rss_bytes gauge\nbpfstream_collector_rss_bytes ").append(h.getRssBytes()).append('\n');
    sb.append("# TYPE bpfstream_collector_cpu_seconds_total counter\nbpfstream_collector_cpu_seconds_total ")
        .append(h.getCpuNs() / 1e9).append('\n');
    sb.append("# TYPE bpfstream_collector_produce_errors_total counter\nbpfstream_collector_produce_errors_total ")
        .append(h.getProduceErrors()).append('\n');
    // Read now, not from the report: under overload the heap is what to watch against its bound.
    java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    sb.append("# HELP bpfstream_jvm_heap_used_bytes Java heap in use now (garbage included)\n# TYPE bpfstream_jvm_heap_used_bytes gauge\n")
        .append("bpfstream_jvm_heap_used_bytes ").append(heap.getUsed()).append('\n');
    sb.append("# HELP bpfstream_jvm_heap_max_bytes Java heap bound (-Xmx)\n# TYPE bpfstream_jvm_heap_max_bytes gauge\n")
        .append("bpfstream_jvm_heap_max_bytes ").append(heap.getMax()).append('\n');
    return sb.toString();
  }

  private static void counter(StringBuilder sb, String name, String help, CollectorHealth h,
                              java.util.function.ToLongFunction<ProbeHealth> value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" counter\n");
    for (ProbeHealth p : h.getProbes()) {
      sb.append(name).append("{probe=\"").append(p.getProbe()).append("\"} ").append(value.applyAsLong(p)).append('\n');
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

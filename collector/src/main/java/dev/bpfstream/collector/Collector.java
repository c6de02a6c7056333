package dev.bpfstream.collector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import dev.bpfstream.collector.bpf.BpfException;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.bpf.Tracefs;
import dev.bpfstream.collector.enrich.BootClock;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.collector.health.HealthReport;
import dev.bpfstream.collector.health.MetricsEndpoint;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.ProbeCatalog;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.collector.sink.EventSink;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.schema.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's collector: loads the configured probes (a probe that cannot attach is reported in
 * health, not fatal), reads their rings, and every interval re-measures the clock, drains
 * histograms and reports health to the sink and the metrics endpoint.
 */
public final class Collector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Collector.class);
  public static final String VERSION = "0.1.0";

  private final CollectorConfig config;
  private final EventSink sink;
  private final HostIdentity host;
  private final BootClock clock;
  private final List<LoadedProbe> running = new ArrayList<>();
  private final List<HealthReport.Failed> failed = new ArrayList<>();
  private final ProbeCounters collectorCounters = new ProbeCounters("collector");
  private final ScheduledExecutorService timer;
  private final long startedNs;
  private final List<AutoCloseable> attachments = new ArrayList<>();
  private MetricsEndpoint metrics;
  private volatile CollectorHealth latest;
  private volatile boolean closed;

  private Collector(CollectorConfig config, EventSink sink) {
    this.config = config;
    this.sink = sink;
    this.host = HostIdentity.detect(config.hostId());
    this.clock = new BootClock();
    this.startedNs = System.currentTimeMillis() * 1_000_000L;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "collector-interval");
      t.setDaemon(true);
      return t;
    });
  }

  /** Checks prerequisites, then starts every configured probe. */
  public static Collector start(CollectorConfig config, EventSink sink) {
    return start(config, sink, cgroupId -> null, null);
  }

  /**
   * @param containerOfCgroup  cgroup id to container id (null when not in a container)
   * @param namespaceListener  told of every namespace lifecycle event (may be null)
   */
  public static Collector start(CollectorConfig config, EventSink sink, LongFunction<String> containerOfCgroup,
                                Consumer<NamespaceChange> namespaceListener) {
    List<String> missing = Privileges.missing();
    if (!missing.isEmpty()) {
      throw new CollectorException(String.join("\n", missing));
    }
    try {
      Tracefs.ensureMounted();
    } catch (BpfException e) {
      throw new CollectorException(e.getMessage());
    }
    Collector c = new Collector(config, sink);
    try {
      c.startProbes(ProbeCatalog.create(config.probes()), containerOfCgroup, namespaceListener);
      if (config.metricsPort() != 0) {
        c.metrics = new MetricsEndpoint("127.0.0.1", Math.max(0, config.metricsPort()), () -> c.latest);
      }
    } catch (RuntimeException | IOException e) {
      c.close();
      throw e instanceof CollectorException ce ? ce : new CollectorException("collector did not start: " + e.getMessage());
    }
    long every = config.interval().toMillis();
    c.timer.scheduleAtFixedRate(c::onInterval, every, every, TimeUnit.MILLISECONDS);
    return c;
  }

  /** Starts probes supplied directly (benchmarks, tests). */
  public static Collector startProbes(CollectorConfig config, EventSink sink, List<Probe> probes) {
    Collector c = new Collector(config, sink);
    c.startProbes(probes, cgroupId -> null, null);
    long every = config.interval().toMillis();
    c.timer.scheduleAtFixedRate(c::onInterval, every, every, TimeUnit.MILLISECONDS);
    return c;
  }

  private void startProbes(List<Probe> probes, LongFunction<String> containerOfCgroup, Consumer<NamespaceChange> listener) {
    for (Probe p : probes) {
      DecodeContext ctx = new DecodeContext(new TaskContextReader(host, clock, containerOfCgroup), sink,
          new ProbeCounters(p.name()), config.settings(), listener);
      try {
        running.add(LoadedProbe.start(p, ctx));
        log.info("probe {} attached", p.name());
      } catch (BpfException e) {
        failed.add(new HealthReport.Failed(p.name(), e.getMessage()));
        log.warn("probe {} not attached: {}", p.name(), e.getMessage());
      }
    }
    if (running.isEmpty() && !probes.isEmpty()) {
      StringBuilder sb = new StringBuilder("no probe could attach:");
      failed.forEach(f -> sb.append("\n  ").append(f.probe()).append(": ").append(f.error()));
      throw new CollectorException(sb.toString());
    }
  }

  /** Keeps something open until the collector closes (namespace scanner, cgroup resolver). */
  public void attach(AutoCloseable resource) {
    attachments.add(resource);
  }

  public EventSink sink() {
    return sink;
  }

  public HostIdentity host() {
    return host;
  }

  public BootClock clock() {
    return clock;
  }

  private void onInterval() {
    try {
      clock.remeasure();
      for (LoadedProbe p : running) {
        p.probe().onInterval(p, p.context());
      }
      report();
    } catch (RuntimeException e) {
      log.warn("interval work failed: {}", e.toString());
    }
  }

  /** Builds a health report now and sends it. */
  public synchronized CollectorHealth report() {
    CollectorHealth h = HealthReport.build(host.hostId(), host.hostname(), System.currentTimeMillis() * 1_000_000L,
        config.interval().toNanos(), startedNs, VERSION, running, failed, collectorCounters.produceErrors.sum());
    latest = h;
    sink.accept(Topic.HEALTH, h, collectorCounters);
    return h;
  }

  public List<LoadedProbe> probes() {
    return List.copyOf(running);
  }

  public List<HealthReport.Failed> failedProbes() {
    return List.copyOf(failed);
  }

  public int metricsPort() {
    return metrics == null ? 0 : metrics.port();
  }

  /** Stops probes (each drains its ring first), sends a last health report, flushes the sink. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    for (int i = attachments.size() - 1; i >= 0; i--) {
      try {
        attachments.get(i).close();
      } catch (Exception e) {
        log.warn("closing {}: {}", attachments.get(i), e.toString());
      }
    }
    for (LoadedProbe p : running) {
      p.close();
    }
    try {
      report();
      sink.flush();
    } catch (RuntimeException e) {
      log.warn("last health report not sent: {}", e.toString());
    }
    if (metrics != null) {
      metrics.close();
    }
  }
}

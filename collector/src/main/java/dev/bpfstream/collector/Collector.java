package dev.bpfstream.collector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import dev.bpfstream.collector.bpf.BpfException;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.bpf.Tracefs;
import dev.bpfstream.collector.enrich.BootClock;
import dev.bpfstream.collector.enrich.CgroupResolver;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.collector.health.HealthReport;
import dev.bpfstream.collector.health.MetricsEndpoint;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.host.HostMetricsSampler;
import dev.bpfstream.collector.namespace.NamespaceObserver;
import dev.bpfstream.collector.namespace.NamespaceScanner;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.RateLimit;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.collector.probes.ProbeCatalog;
import dev.bpfstream.collector.sink.EventSink;
import dev.bpfstream.event.CollectorHealth;
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
  private final ScheduledExecutorService scanTimer;
  private final ProbeCounters namespaceCounters = new ProbeCounters("namespaces");
  private final ScheduledExecutorService hostTimer;
  private final ProbeCounters hostCounters = new ProbeCounters("host");
  private final java.util.concurrent.atomic.LongAdder hostSampleErrors = new java.util.concurrent.atomic.LongAdder();
  private HostMetricsSampler hostSampler;
  private CgroupResolver cgroups;
  private NamespaceScanner scanner;
  private final long startedNs;
  private MetricsEndpoint metrics;
  private volatile CollectorHealth latest;
  private volatile boolean closed;

  private Collector(CollectorConfig config, EventSink sink) {
    this.config = config;
    this.sink = sink;
    this.host = HostIdentity.detect(config.hostId());
    this.clock = new BootClock();
    this.startedNs = System.currentTimeMillis() * 1_000_000L;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "collector-interval"));
    this.scanTimer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "namespace-scan"));
    this.hostTimer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "host-metrics"));
  }

  /**
   * Checks prerequisites, then starts the whole collector: the cgroup resolver (container ids),
   * the namespace inventory (a /proc scan now and every scan interval, plus lifecycle events at
   * once), every configured probe, health reports and the metrics endpoint.
   */
  public static Collector start(CollectorConfig config, EventSink sink) {
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
      CgroupResolver cgroups = CgroupResolver.forHost();
      c.cgroups = cgroups;
      NamespaceScanner scanner = new NamespaceScanner(c.host.hostId(), c.host.hostname(),
          m -> sink.accept(Topic.NS_METADATA, m, c.namespaceCounters));
      c.scanner = scanner;
      c.startProbes(ProbeCatalog.create(config.probes()), cgroups::containerId, scanner);
      c.scanTimer.execute(c::scanNamespaces);
      long scanEvery = config.scanInterval().toMillis();
      c.scanTimer.scheduleAtFixedRate(c::scanNamespaces, scanEvery, scanEvery, TimeUnit.MILLISECONDS);
      if (config.hostMetrics()) {
        c.hostSampler = HostMetricsSampler.forHost(c.host);
        long hostEvery = config.interval().toMillis();
        c.hostTimer.scheduleAtFixedRate(c::sampleHost, hostEvery, hostEvery, TimeUnit.MILLISECONDS);
      }
      if (config.metricsPort() != 0) {
        c.metrics = new MetricsEndpoint(config.metricsBind(), Math.max(0, config.metricsPort()), config.metricsToken(), () -> c.latest);
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
    c.startProbes(probes, cgroupId -> null, NamespaceObserver.NONE);
    long every = config.interval().toMillis();
    c.timer.scheduleAtFixedRate(c::onInterval, every, every, TimeUnit.MILLISECONDS);
    return c;
  }

  private void startProbes(List<Probe> probes, LongFunction<String> containerOfCgroup, NamespaceObserver namespaces) {
    for (Probe p : probes) {
      DecodeContext ctx = new DecodeContext(new TaskContextReader(host, clock, containerOfCgroup), sink,
          new ProbeCounters(p.name()), config.redactor(), namespaces);
      try {
        running.add(LoadedProbe.start(p, config.settings(), config.options(), ctx));
        RateLimit limit = RateLimit.of(p, config.options());
        log.info("probe {} attached{}", p.name(), limit.unlimited() ? "" : " (rate limit " + limit + ")");
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

  public EventSink sink() {
    return sink;
  }

  public HostIdentity host() {
    return host;
  }

  public BootClock clock() {
    return clock;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private void scanNamespaces() {
    try {
      NamespaceScanner.ScanResult r = scanner.scan();
      log.debug("namespace scan: {}", r);
    } catch (RuntimeException e) {
      log.warn("namespace scan failed: {}", e.toString());
    }
  }

  private void sampleHost() {
    try {
      sink.accept(Topic.HOST_METRICS, hostSampler.sample(), hostCounters);
    } catch (RuntimeException e) {
      hostSampleErrors.increment();
      log.warn("host metrics sample failed: {}", e.toString());
    }
  }

  /** Counters of the collector's companions, by name, for the health report. */
  private java.util.Map<String, Long> companionCounters() {
    java.util.Map<String, Long> m = new java.util.TreeMap<>();
    m.put("metadata.produced", namespaceCounters.produced.sum());
    m.put("metadata.dropped", namespaceCounters.dropped.sum());
    if (scanner != null) {
      NamespaceScanner.Stats s = scanner.stats();
      m.put("namespaces.scans", s.scans());
      m.put("namespaces.known", (long) s.namespaces());
      m.put("namespaces.emitted", s.emitted());
      m.put("namespaces.removed", s.removed());
      m.put("namespaces.describe_failures", s.describeFailures());
      m.put("namespaces.lifecycle_unresolved", s.lifecycleUnresolved());
      m.put("namespaces.uts_failures", s.utsFailures());
      if (s.lastScan() != null) {
        m.put("namespaces.last_scan_ns", s.lastScan().nanos());
      }
    }
    if (hostSampler != null) {
      m.put("host.samples", hostSampler.samples());
      m.put("host.sample_errors", hostSampleErrors.sum());
      m.put("host.produced", hostCounters.produced.sum());
      m.put("host.dropped", hostCounters.dropped.sum());
    }
    for (LoadedProbe p : running) {
      java.util.Map<String, Long> own = new java.util.TreeMap<>();
      own.put("overflow", p.kernelStats().overflow());
      p.probe().addCounters(p, own);
      own.forEach((k, v) -> m.put("probe." + p.probe().name() + "." + k, v));
    }
    if (cgroups != null) {
      CgroupResolver.Stats s = cgroups.stats();
      m.put("cgroups.unresolved", s.unresolved());
      m.put("cgroups.walks", s.walks());
      m.put("cgroups.cached", (long) s.cached());
      m.put("cgroups.evicted", s.evicted());
      m.put("cgroups.overflow", s.overflow());
    }
    return m;
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
    CollectorHealth h = snapshot();
    latest = h;
    sink.accept(Topic.HEALTH, h, collectorCounters);
    return h;
  }

  /** The health report as of now, not sent: after {@link #close} and the sink's close, the final counts. */
  public synchronized CollectorHealth snapshot() {
    CollectorHealth h = HealthReport.build(host.hostId(), host.hostname(), System.currentTimeMillis() * 1_000_000L,
        config.interval().toNanos(), startedNs, VERSION, running, failed, collectorCounters.produceErrors.sum());
    h.setCounters(new java.util.HashMap<>(companionCounters()));
    dev.bpfstream.collector.sink.SinkStats sinkStats = sink.stats();
    h.setProduceErrors(h.getProduceErrors() + sinkStats.sendErrors());
    h.setSpoolBytes(sinkStats.spoolBytes());
    h.setSpoolRecords(sinkStats.spoolRecords());
    h.setSpoolDropped(sinkStats.spoolDropped());
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
    // The interval task may be draining a probe: let it finish (no interrupt mid-produce), then
    // close the probes, whose own last drain follows it.
    timer.shutdown();
    scanTimer.shutdownNow();
    hostTimer.shutdown();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
      scanTimer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
    if (scanner != null) {
      scanner.close();
    }
    if (hostSampler != null) {
      try {
        hostTimer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      hostSampler.close();
    }
    if (cgroups != null) {
      cgroups.close();
    }
  }
}

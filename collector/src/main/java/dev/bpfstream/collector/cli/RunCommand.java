package dev.bpfstream.collector.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.Collector;
import dev.bpfstream.collector.CollectorConfig;
import dev.bpfstream.collector.bpf.BpfFeatures;
import dev.bpfstream.collector.enrich.Redactor;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.ProbeSettings;
import dev.bpfstream.collector.probes.ProbeCatalog;
import dev.bpfstream.collector.sink.EventSink;
import dev.bpfstream.collector.sink.KafkaEventSink;
import dev.bpfstream.collector.sink.NullSink;
import dev.bpfstream.collector.sink.Spool;
import dev.bpfstream.collector.sink.StdoutSink;
import dev.bpfstream.options.DurationConverter;
import dev.bpfstream.options.KafkaClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the collector until Ctrl-C / SIGTERM (or --duration), then flushes and detaches. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Load the probes and produce events.")
final class RunCommand implements Callable<Integer> {
  static final int MIN_SPOOL_BYTES = 64 << 10;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", description = "YAML file of run options (keys are the long options without dashes); the command line wins.")
  Path config;

  @Mixin
  KafkaClientOptions kafka;

  @Option(names = "--stdout", description = "Print events to stdout (see --format) instead of producing to Kafka.")
  boolean stdout;

  @Option(names = "--sink", defaultValue = "kafka", description = "kafka, stdout, or null (encode and discard: overhead measurements).")
  String sinkKind;

  @Option(names = "--format", defaultValue = "json", description = "With --stdout: json (one object per line: topic and record) or text (one aligned line per event, like execsnoop) (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--probes", split = ",", description = "Probes to run: names, `default` (exec,exit,nslifecycle) or `all` (every probe; those that cannot attach here are reported and skipped). See `collector probes`.")
  List<String> probes;

  @Option(names = "--probe-option", paramLabel = "PROBE.KEY=VALUE",
      description = "A per-probe limit, e.g. fileslow.min-latency=5ms, open.path-max=512; repeatable. `collector probes` lists them.")
  List<String> probeOptions = new ArrayList<>();

  @Option(names = "--host-id", description = "Host id on every record (default: /etc/machine-id).")
  String hostId;

  @Option(names = "--interval", defaultValue = "10s", converter = DurationConverter.class, description = "Health and histogram interval (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--scan-interval", defaultValue = "30s", converter = DurationConverter.class, description = "Full namespace scan interval (default: ${DEFAULT-VALUE}).")
  Duration scanInterval;

  @Option(names = "--argv-max-bytes", paramLabel = "N", description = "Alias of --probe-option exec.argv-max-bytes=N: bytes of argv copied per exec (default: 1024).")
  String argvMaxBytes;

  @Option(names = "--redact", description = "Regex masked in argv and paths (its first group, or the whole match); repeatable.")
  List<String> redact = new ArrayList<>();

  @Option(names = "--no-default-redaction", description = "Drop the built-in secret patterns (password=, token=, ...).")
  boolean noDefaultRedaction;

  @Option(names = "--ring-bytes", converter = ByteSizes.class,
      description = "BPF ring size of every probe, a power of two (default: each probe's own: 32M for open, 4M for the others).")
  Integer ringBytes;

  @Option(names = "--reader", defaultValue = "auto", description = "auto, ringbuf or perfbuf (default: ${DEFAULT-VALUE}).")
  String reader;

  @Option(names = "--metrics-port", defaultValue = "9464", description = "Prometheus /metrics port (0: off; default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--metrics-bind", defaultValue = CollectorConfig.LOOPBACK,
      description = "Address /metrics listens on: 127.0.0.1 (this host only), the pod IP or 0.0.0.0 for a Prometheus elsewhere (default: ${DEFAULT-VALUE}).")
  String metricsBind;

  @Option(names = "--spool-dir", description = "Where records wait while Kafka is unreachable (default: /var/lib/bpfstream/spool as root, else $XDG_STATE_HOME/bpfstream/spool).")
  Path spoolDir;

  @Option(names = "--spool-max-bytes", defaultValue = "1G", converter = ByteSizes.class, description = "Bound of the spool on disk (default: ${DEFAULT-VALUE}).")
  int spoolMaxBytes;

  @Option(names = "--spool-policy", defaultValue = "drop-oldest", description = "When the spool is full: block, drop-oldest or drop-newest; every drop is counted (default: ${DEFAULT-VALUE}).")
  String spoolPolicy;

  @Option(names = "--no-spool", description = "Drop (and count) what Kafka cannot take instead of spooling it.")
  boolean noSpool;

  @Option(names = "--duration", converter = DurationConverter.class, description = "Stop after this long (default: until Ctrl-C or SIGTERM).")
  Duration duration;

  @Option(names = "--host-metrics", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Sample the host's USE metrics from /proc and /sys every interval to host.metrics (default: on; --no-host-metrics turns it off).")
  boolean hostMetrics;

  @Option(names = "--profile-hz", paramLabel = "HZ", description = "Alias of --probe-option profile.hz=HZ: CPU samples per second per CPU (default: 49).")
  String profileHz;

  @Option(names = "--shell", paramLabel = "PATH", description = "Alias of --probe-option bashreadline.shells=PATH; repeatable (default: /bin/bash).")
  List<String> shells = new ArrayList<>();

  @Option(names = "--runqlen-hz", paramLabel = "HZ", description = "Alias of --probe-option runqlen.hz=HZ: run-queue samples per second per CPU (default: 99).")
  String runqlenHz;

  @Override
  public Integer call() throws Exception {
    CollectorConfig config = config();
    String kind = stdout ? "stdout" : sinkKind;
    CountDownLatch stop = new CountDownLatch(1);
    java.io.PrintWriter err = spec.commandLine().getErr();
    EventSink sink = switch (kind) {
      case "stdout" -> StdoutSink.toStdout(format.equals("text") ? StdoutSink.Format.TEXT : StdoutSink.Format.JSON)
          .onClosed(e -> {
            err.println("collector: stdout closed (" + e.getMessage() + "): stopping");
            err.flush();
            stop.countDown();
          });
      case "null" -> new NullSink();
      case "kafka" -> new KafkaEventSink(kafkaProperties(), hostIdFor(config), kafka.topicPrefix(), noSpool ? null : spool());
      default -> throw new IllegalArgumentException("--sink must be kafka, stdout or null, not " + sinkKind);
    };
    Collector collector;
    try {
      collector = Collector.start(config, sink);
    } catch (RuntimeException e) {
      sink.close();
      throw e;
    }
    Runnable finish = new Runnable() {
      private boolean done;

      @Override
      public synchronized void run() {
        if (!done) {
          done = true;
          collector.close();
          sink.close();
          ExitSummary.lines(collector.snapshot().getProbes()).forEach(line -> err.println("collector: " + line));
          err.flush();
        }
      }
    };
    Thread hook = new Thread(() -> {
      finish.run();
      stop.countDown();
    }, "collector-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    dev.bpfstream.collector.bpf.Privileges.degraded().forEach(line -> err.println("collector: warning: " + line));
    err.printf("collector: %d probe(s) attached (%s); %s%n", collector.probes().size(),
        String.join(", ", collector.probes().stream().map(p -> p.probe().name()).toList()),
        kind.equals("kafka") ? "producing to " + kafka.bootstrapServers() : "writing to " + kind);
    collector.failedProbes().forEach(f -> err.println("collector: probe " + f.probe() + " skipped: " + f.error()));
    err.flush();
    if (duration != null) {
      stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      stop.await();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // SIGTERM/Ctrl-C: the hook is already finishing
    }
    finish.run();
    return 0;
  }

  /** `default` and `all` expanded, names in catalog order where `all` is given, each once. */
  List<String> probeNames() {
    if (probes == null || probes.isEmpty()) {
      return ProbeCatalog.defaults();
    }
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
    for (String p : probes) {
      switch (p.trim()) {
        case "all" -> names.addAll(ProbeCatalog.names());
        case "default" -> names.addAll(ProbeCatalog.defaults());
        default -> names.add(p.trim());
      }
    }
    return List.copyOf(names);
  }

  /**
   * Values that parse but cannot work; each message starts with the option it is about. Everything
   * {@link #config()} would refuse is refused here, so a config file's value is refused with its line.
   */
  void validate() {
    for (String n : probeNames()) {
      try {
        ProbeCatalog.create(n);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--probes: " + e.getMessage());
      }
    }
    if (ringBytes != null && (Integer.bitCount(ringBytes) != 1 || ringBytes < 4096)) {
      throw new IllegalArgumentException("--ring-bytes must be a power of two of at least 4096, not " + ringBytes);
    }
    if (!List.of("auto", "ringbuf", "perfbuf").contains(reader)) {
      throw new IllegalArgumentException("--reader must be auto, ringbuf or perfbuf, not " + reader);
    }
    if (!List.of("block", "drop-oldest", "drop-newest").contains(spoolPolicy)) {
      throw new IllegalArgumentException("--spool-policy must be block, drop-oldest or drop-newest, not " + spoolPolicy);
    }
    if (!List.of("kafka", "stdout", "null").contains(sinkKind)) {
      throw new IllegalArgumentException("--sink must be kafka, stdout or null, not " + sinkKind);
    }
    if (!List.of("json", "text").contains(format)) {
      throw new IllegalArgumentException("--format must be json or text, not " + format);
    }
    if (format.equals("text") && !stdout && !sinkKind.equals("stdout")) {
      throw new IllegalArgumentException("--format text is for --stdout: Kafka gets Avro records");
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new IllegalArgumentException("--metrics-port must be between 0 and 65535, not " + metricsPort);
    }
    if (!metricsBind.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
      throw new IllegalArgumentException("--metrics-bind must be an IP address of this host (127.0.0.1, 0.0.0.0, the pod IP), not '" + metricsBind + "'");
    }
    for (String r : redact) {
      try {
        java.util.regex.Pattern.compile(r);
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new IllegalArgumentException("--redact: bad regex: " + e.getDescription() + " in " + e.getPattern());
      }
    }
    if (spoolMaxBytes < MIN_SPOOL_BYTES) {
      throw new IllegalArgumentException("--spool-max-bytes must be at least 64K (one spool segment), not " + spoolMaxBytes);
    }
    probeOptions(); // a config file's bad probe option is reported against its line
  }

  /** The old top-level flags, each the probe option it stands for; given first, so --probe-option wins. */
  private Map<String, String> aliases() {
    Map<String, String> out = new LinkedHashMap<>();
    if (argvMaxBytes != null) {
      out.put("--argv-max-bytes", "exec.argv-max-bytes=" + argvMaxBytes);
    }
    if (profileHz != null) {
      out.put("--profile-hz", "profile.hz=" + profileHz);
    }
    if (runqlenHz != null) {
      out.put("--runqlen-hz", "runqlen.hz=" + runqlenHz);
    }
    if (!shells.isEmpty()) {
      out.put("--shell", "bashreadline.shells=" + String.join(",", shells));
    }
    return out;
  }

  ProbeOptions probeOptions() {
    Map<String, String> aliases = aliases();
    aliases.forEach((flag, assignment) -> {
      try {
        ProbeCatalog.options(List.of(assignment));
      } catch (IllegalArgumentException e) {
        String where = "--probe-option " + assignment + ": ";
        String reason = e.getMessage().startsWith(where) ? e.getMessage().substring(where.length()) : e.getMessage();
        throw new IllegalArgumentException(flag + ": " + reason + " (alias of --probe-option "
            + assignment.substring(0, assignment.indexOf('=')) + ")");
      }
    });
    List<String> all = new ArrayList<>(aliases.values());
    all.addAll(probeOptions);
    return ProbeCatalog.options(all);
  }

  CollectorConfig config() {
    validate();
    List<String> names = probeNames();
    boolean perf = switch (reader) {
      case "perfbuf" -> true;
      case "ringbuf" -> false;
      case "auto" -> !BpfFeatures.hasRingBuffer();
      default -> throw new IllegalArgumentException("--reader must be auto, ringbuf or perfbuf, not " + reader);
    };
    List<String> patterns = new ArrayList<>(noDefaultRedaction ? List.of() : Redactor.DEFAULT_PATTERNS);
    patterns.addAll(redact);
    Redactor redactor;
    try {
      redactor = new Redactor(patterns);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException("--redact: bad regex: " + e.getDescription() + " in " + e.getPattern());
    }
    ProbeSettings ring = ringBytes == null ? ProbeSettings.perProbeRing(perf) : ProbeSettings.ring(ringBytes, perf);
    return new CollectorConfig(names, hostId, interval, scanInterval, ring, probeOptions(),
        redactor, metricsPort, hostMetrics, null, metricsBind);
  }

  Spool spool() {
    Spool.Policy policy = switch (spoolPolicy) {
      case "block" -> Spool.Policy.BLOCK;
      case "drop-oldest" -> Spool.Policy.DROP_OLDEST;
      case "drop-newest" -> Spool.Policy.DROP_NEWEST;
      default -> throw new IllegalArgumentException("--spool-policy must be block, drop-oldest or drop-newest, not " + spoolPolicy);
    };
    Path dir = spoolDir != null ? spoolDir : defaultSpoolDir();
    try {
      return Spool.open(dir, spoolMaxBytes, policy);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--spool-dir " + dir + " is not usable (" + e.getMessage() + "): choose another or --no-spool");
    }
  }

  static Path defaultSpoolDir() {
    if ("root".equals(System.getProperty("user.name"))) {
      return Path.of("/var/lib/bpfstream/spool");
    }
    String state = System.getenv("XDG_STATE_HOME");
    Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("bpfstream").resolve("spool");
  }

  private String hostIdFor(CollectorConfig config) {
    return dev.bpfstream.collector.enrich.HostIdentity.detect(config.hostId()).hostId();
  }

  Map<String, Object> kafkaProperties() {
    return new LinkedHashMap<>(kafka.clientConfig());
  }
}

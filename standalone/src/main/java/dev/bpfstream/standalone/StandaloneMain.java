package dev.bpfstream.standalone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.bpfstream.collector.probes.ProbeCatalog;
import dev.bpfstream.options.DurationConverter;
import dev.bpfstream.broker.BrokerCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** `bpfstream up`: the whole stack on this host until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true, version = "bpfstream 0.1.0",
    description = "Run the embedded Kafka broker, the collector and the Flink jobs on this host, with a live view.")
public final class StandaloneMain implements Callable<Integer> {

  @Option(names = "--data-dir", description = "Where broker data, checkpoints and the log live (default: $XDG_STATE_HOME/bpfstream or ~/.local/state/bpfstream).")
  Path dataDir;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "The broker's port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free port).")
  int kafkaPort;

  @Option(names = "--window", defaultValue = "10s", converter = DurationConverter.class, description = "Window of the jobs and of the view (default: ${DEFAULT-VALUE}).")
  Duration window;

  /**
   * The collector's defaults plus the cheap probes that feed the latency view and the TCP figures:
   * histograms kept in the kernel (biolatency, runqlat), per-connection TCP events, and CPU stack
   * samples (profile, 49 Hz per CPU, counted in the kernel) for the console's flame graphs.
   */
  static final List<String> DEFAULT_PROBES = List.of("exec", "exit", "nslifecycle", "tcp", "tcpretrans", "biolatency", "runqlat", "profile");

  @Option(names = "--probes", split = ",", description = "Collector probes (default: exec, exit, nslifecycle, tcp, tcpretrans, biolatency, runqlat, profile).")
  List<String> probes;

  @Option(names = "--json", description = "Stream the summaries as JSON lines instead of the terminal view.")
  boolean json;

  @Option(names = "--metrics-port", defaultValue = "9464", description = "Collector metrics on 127.0.0.1 (0: off; default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--console-port", defaultValue = "9470", description = "The web console on 127.0.0.1 (0: off; default: ${DEFAULT-VALUE}). Its URL, with the access token, is printed at start.")
  int consolePort;

  @Option(names = "--ring-bytes", converter = dev.bpfstream.collector.cli.ByteSizes.class,
      description = "BPF ring size of every probe, a power of two (default: each probe's own: 32M for open, 4M for the others).")
  Integer ringBytes;

  @Option(names = "--rules", description = "Alert rules file (default: the built-in conf/rules.yaml).")
  Path rules;

  @Option(names = "--duration", converter = DurationConverter.class, description = "Stop after this long (default: until Ctrl-C or SIGTERM).")
  Duration duration;

  public static void main(String[] args) {
    int rc;
    try {
      rc = execute(args);
    } catch (Throwable t) { // an Error from a broken install, say: still one line, no stack trace
      System.err.println("bpfstream up: " + t);
      rc = 1;
    }
    if (rc != 0) {
      System.exit(rc);
    }
  }

  static int execute(String... args) {
    return new CommandLine(new StandaloneMain())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("bpfstream up: " + (e.getMessage() == null ? e.toString() : e.getMessage().replace("\n", "; ")));
          return 1;
        })
        .execute(args);
  }

  @Override
  public Integer call() throws Exception {
    Path dir = (dataDir == null ? StackOptions.defaultDataDir() : dataDir).toAbsolutePath();
    List<String> names = probes == null || probes.isEmpty() ? DEFAULT_PROBES : probes;
    names.forEach(ProbeCatalog::create);
    StackOptions o = new StackOptions(dir, kafkaPort, window, names, json, metricsPort, rules, consolePort,
        ringBytes == null ? 0 : ringBytes);
    List<String> problems = StackChecks.problems(o);
    if (!problems.isEmpty()) {
      problems.forEach(p -> System.err.println("bpfstream up: " + p));
      return 1;
    }
    StandaloneLogging.toFile(dir.resolve("bpfstream.log"));
    System.err.println("bpfstream up: starting (log: " + dir.resolve("bpfstream.log") + ")");
    StandaloneStack stack = StandaloneStack.start(o, System.out);
    System.err.println("bpfstream up: running; Kafka on " + stack.bootstrapServers() + " (SASL/SCRAM, credentials in "
        + dir.resolve(BrokerCredentials.CLIENT_FILE) + "); first view after one window");
    if (stack.consoleUrl() != null) {
      System.err.println("bpfstream up: web console: " + stack.consoleUrl());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stack.close();
      stopped.countDown();
    }, "bpfstream-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (duration != null) {
      if (!stopped.await(duration.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        Runtime.getRuntime().removeShutdownHook(hook);
        stack.close();
      }
    } else {
      stopped.await();
    }
    return 0;
  }
}

package dev.bpfstream.console;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bpfstream console`: the web console over a fleet's topics, no Flink needed. */
@Command(name = "console", mixinStandardHelpOptions = true, version = "bpfstream 0.1.0",
    description = {"Serve the web console (flame graphs, latency heatmaps, top workloads, alerts, namespaces) over the topics of a Kafka cluster.",
        "Reads the topics read_committed, keeps --retention in memory, listens on 127.0.0.1 and prints the URL with its access token."})
public final class ConsoleMain implements Callable<Integer> {

  @Option(names = {"--bootstrap-servers", "--bootstrap"}, defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT[,...]",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties file (TLS, SASL, ...).")
  Path kafkaConfig;

  @Option(names = "--topic-prefix", defaultValue = "", description = "Prefix of every topic name (default: none).")
  String topicPrefix;

  @Option(names = "--port", defaultValue = "9470", description = "Port to serve on (default: ${DEFAULT-VALUE}; 0: any free port).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}). "
      + "Anything else exposes the console (token-protected, plain HTTP): prefer an SSH tunnel, see README.")
  String bind;

  @Option(names = "--data-dir", description = "Where the access token is kept (console.token, mode 0600; default: $XDG_STATE_HOME/bpfstream or ~/.local/state/bpfstream).")
  Path dataDir;

  @Option(names = "--retention", defaultValue = "1h", description = "How far back to read at start and keep in memory (default: ${DEFAULT-VALUE}; e.g. 30m, 6h).")
  String retention;

  public static void main(String[] args) {
    int rc;
    try {
      rc = new CommandLine(new ConsoleMain())
          .setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("bpfstream console: " + (e.getMessage() == null ? e.toString() : e.getMessage().replace("\n", "; ")));
            return 1;
          })
          .execute(args);
    } catch (Throwable t) {
      System.err.println("bpfstream console: " + t);
      rc = 1;
    }
    if (rc != 0) {
      System.exit(rc);
    }
  }

  @Override
  public Integer call() throws Exception {
    Map<String, Object> client = new HashMap<>(kafkaProperties());
    client.put("bootstrap.servers", bootstrapServers);
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind " + bind + ": not an address of this host");
    }
    Path dir = dataDir != null ? dataDir : defaultDataDir();
    Console console = Console.start(new Console.Settings(client, topicPrefix, address, port, dir.toAbsolutePath(),
        RetentionOption.parse(retention), 500_000));
    if (!address.isLoopbackAddress()) {
      System.err.println("bpfstream console: listening on " + bind + ", beyond this host: anyone who can reach it and has the token sees "
          + "the fleet's data over plain HTTP; an SSH tunnel to 127.0.0.1 is safer (README: The web console)");
    }
    System.err.println("bpfstream console: reading " + bootstrapServers + "; open " + console.url());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      console.close();
      stopped.countDown();
    }, "console-shutdown"));
    stopped.await();
    return 0;
  }

  private Map<String, Object> kafkaProperties() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    if (kafkaConfig != null) {
      Properties p = new Properties();
      try (InputStream in = new FileInputStream(kafkaConfig.toFile())) {
        p.load(in);
      }
      p.forEach((k, v) -> m.put(k.toString(), v));
    }
    return m;
  }

  static Path defaultDataDir() {
    String state = System.getenv("XDG_STATE_HOME");
    Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("bpfstream");
  }

  /** Until the shared duration syntax is on every command: a number and s, m, h or d. */
  static final class RetentionOption {
    static Duration parse(String text) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})(s|m|h|d)").matcher(text.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException("--retention " + Json.quoteForMessage(text) + ": give a number and a unit, e.g. 30m, 1h, 6h");
      }
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      if (d.compareTo(TimeRange.MAX_SPAN) > 0 || d.isZero()) {
        throw new IllegalArgumentException("--retention " + text + ": between 1s and " + TimeRange.MAX_SPAN.toDays() + "d");
      }
      return d;
    }
  }
}

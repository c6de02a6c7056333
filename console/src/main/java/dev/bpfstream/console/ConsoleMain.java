package dev.bpfstream.console;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.bpfstream.options.DurationConverter;
import dev.bpfstream.options.KafkaClientOptions;
import dev.bpfstream.options.LocalStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `bpfstream console`: the web console over a fleet's topics, no Flink needed. */
@Command(name = "console", mixinStandardHelpOptions = true, version = "bpfstream 0.1.0",
    description = {"Serve the web console (flame graphs, latency heatmaps, top workloads, alerts, namespaces) over the topics of a Kafka cluster.",
        "Reads the topics read_committed, keeps --retention in memory, listens on 127.0.0.1 and prints the URL with its access token."})
public final class ConsoleMain implements Callable<Integer> {

  @Mixin
  KafkaClientOptions kafka;

  @Option(names = "--port", defaultValue = "9470", description = "Port to serve on (default: ${DEFAULT-VALUE}; 0: any free port).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}). "
      + "Anything else exposes the console (token-protected, plain HTTP): prefer an SSH tunnel, see README.")
  String bind;

  @Option(names = "--data-dir", description = "Where the access token is kept (console.token, mode 0600; default: $XDG_STATE_HOME/bpfstream or ~/.local/state/bpfstream).")
  Path dataDir;

  @Option(names = "--retention", defaultValue = "1h", converter = DurationConverter.class,
      description = "How far back to read at start and keep in memory (default: ${DEFAULT-VALUE}; e.g. 30m, 6h; at most 7d).")
  Duration retention;

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
    Map<String, Object> client = new HashMap<>(kafka.clientConfig());
    if (retention.compareTo(TimeRange.MAX_SPAN) > 0) {
      throw new IllegalArgumentException("--retention " + retention.toHours() + "h is longer than the console keeps: at most "
          + TimeRange.MAX_SPAN.toDays() + "d");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind " + bind + ": not an address of this host");
    }
    Path dir = dataDir != null ? dataDir : LocalStack.defaultDataDir();
    Console console = Console.start(new Console.Settings(client, kafka.topicPrefix(), address, port, dir.toAbsolutePath(),
        retention, 500_000));
    if (!address.isLoopbackAddress()) {
      System.err.println("bpfstream console: listening on " + bind + ", beyond this host: anyone who can reach it and has the token sees "
          + "the fleet's data over plain HTTP; an SSH tunnel to 127.0.0.1 is safer (README: The web console)");
    }
    System.err.println("bpfstream console: reading " + kafka.bootstrapServers() + "; open " + console.url());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      console.close();
      stopped.countDown();
    }, "console-shutdown"));
    stopped.await();
    return 0;
  }
}

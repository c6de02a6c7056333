package dev.bpfstream.standalone;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.bpfstream.broker.BrokerCredentials;
import dev.bpfstream.broker.EmbeddedKafkaBroker;
import dev.bpfstream.console.Console;
import dev.bpfstream.broker.LoopbackPort;
import dev.bpfstream.broker.PrivateFiles;
import dev.bpfstream.collector.Collector;
import dev.bpfstream.collector.CollectorConfig;
import dev.bpfstream.collector.probe.ProbeSettings;
import dev.bpfstream.collector.sink.KafkaEventSink;
import dev.bpfstream.schema.TopicSetup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-host stack: the in-process broker, the collector producing to it, the Flink jobs on a
 * MiniCluster reading from it, and the live view. Started in that order, closed in reverse: the
 * collector flushes, the jobs stop, the broker closes; the data directory keeps everything for the
 * next start.
 */
public final class StandaloneStack implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StandaloneStack.class);
  /** The collector's metrics endpoint wants this token (Prometheus: authorization.credentials_file). */
  static final String METRICS_TOKEN_FILE = "metrics.token";

  private final EmbeddedKafkaBroker broker;
  private final KafkaEventSink sink;
  private final Collector collector;
  private final LocalJobs jobs;
  private final LiveView view;
  private final Console console;
  private boolean closed;

  private StandaloneStack(EmbeddedKafkaBroker broker, KafkaEventSink sink, Collector collector, LocalJobs jobs, LiveView view,
                          Console console) {
    this.broker = broker;
    this.sink = sink;
    this.collector = collector;
    this.jobs = jobs;
    this.view = view;
    this.console = console;
  }

  /** The catalog's topics on the one broker: one partition each (one host), each partition bounded to 1 GiB on disk. */
  static void createTopics(Map<String, Object> client) throws Exception {
    try (Admin admin = Admin.create(client)) {
      TopicSetup.ensure(admin, new TopicSetup.Plan("", 1, (short) 1,
          Map.of(TopicConfig.RETENTION_BYTES_CONFIG, String.valueOf(1L << 30))));
    }
  }

  /** Starts everything; on any failure what was started is stopped again before the exception leaves. */
  public static StandaloneStack start(StackOptions o, PrintStream out) throws Exception {
    EmbeddedKafkaBroker broker = null;
    KafkaEventSink sink = null;
    Collector collector = null;
    LocalJobs jobs = null;
    LiveView view = null;
    Console console = null;
    try {
      BrokerCredentials credentials = BrokerCredentials.loadOrCreate(o.dataDir());
      broker = EmbeddedKafkaBroker.startSecured(o.dataDir().resolve("kafka"), o.kafkaPort(), Map.of(
          "log.retention.hours", "24", "log.retention.bytes", String.valueOf(1L << 30)), credentials);
      Map<String, Object> client = new HashMap<>(broker.clientProperties());
      createTopics(client);
      CollectorConfig config = CollectorConfig.defaults(o.probes()).withInterval(o.window())
          .withSettings(ProbeSettings.ring(o.ringBytes(), false)).withMetricsPort(o.metricsPort())
          .withMetricsToken(PrivateFiles.secret(o.dataDir().resolve(METRICS_TOKEN_FILE)));
      String header = "bpfstream up — Kafka " + broker.bootstrapServers() + " — data " + o.dataDir();
      if (o.consolePort() != 0) {
        console = Console.start(Console.Settings.local(client, Math.max(0, o.consolePort()), o.dataDir()));
        header += " — console " + console.url();
      }
      view = new LiveView(client, out, o.json() ? Screen.appending(out) : Screen.stdout(out), o.json(), o.window(), header).start();
      sink = new KafkaEventSink(client, dev.bpfstream.collector.enrich.HostIdentity.detect(null).hostId(), "");
      collector = Collector.start(config, sink);
      Map<String, String> jobClient = new HashMap<>();
      client.forEach((k, v) -> jobClient.put(k, String.valueOf(v)));
      int blobPort = LoopbackPort.free();
      int restPort = LoopbackPort.free();
      jobs = LocalJobs.start(jobClient, o.window(), o.dataDir().resolve("flink"), o.rules(), credentials.keyStore(), blobPort, restPort);
      log.info("stack up: broker {}, {} probes, jobs {}", broker.bootstrapServers(), collector.probes().size(), jobs.name());
      List<Listener> listeners = List.of(
          new Listener("kafka", broker.port(), "SASL/SCRAM-SHA-512 (" + o.dataDir().resolve(BrokerCredentials.CLIENT_FILE) + ")"),
          new Listener("kafka-inter-broker", broker.interBrokerPort(), "mutual TLS"),
          new Listener("kafka-controller", broker.controllerPort(), "mutual TLS"),
          new Listener("flink-blob", blobPort, "mutual TLS"),
          new Listener("flink-rest", restPort, "mutual TLS"),
          new Listener("console", console == null ? 0 : console.port(), "HTTP with a token (" + o.dataDir().resolve("console.token") + ")"),
          new Listener("metrics", collector.metricsPort(), "HTTP with a bearer token (" + o.dataDir().resolve(METRICS_TOKEN_FILE) + ")"));
      log.info("listening: {}", listeners.stream().filter(l -> l.port() > 0).map(Listener::toString).collect(Collectors.joining("; ")));
      return new StandaloneStack(broker, sink, collector, jobs, view, console);
    } catch (Exception | Error e) {
      closeAll(console, view, collector, sink, jobs, broker);
      throw e;
    }
  }

  /** A socket the stack listens on, on 127.0.0.1, and whom it lets in. */
  record Listener(String name, int port, String accepts) {
    @Override
    public String toString() {
      return name + " 127.0.0.1:" + port + " " + accepts;
    }
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public Collector collector() {
    return collector;
  }

  /** The web console's URL with its token, or null when it is off. */
  public String consoleUrl() {
    return console == null ? null : console.url();
  }

  public Path dataDir() {
    return broker.dataDir().getParent();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeAll(console, view, collector, sink, jobs, broker);
  }

  private static void closeAll(AutoCloseable... parts) {
    // The readers go first, then the collector flushes (its sink after it), the jobs stop, the broker closes.
    for (AutoCloseable c : parts) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        log.warn("stopping {}: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }
}

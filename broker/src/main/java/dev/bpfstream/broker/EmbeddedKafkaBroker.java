package dev.bpfstream.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka (broker and controller in one process) bound to 127.0.0.1.
 *
 * <p>Storage is formatted on first start, as {@code kafka-storage format} does, and reused on the
 * next start with the same data directory, so the standalone stack resumes with its data.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final String CLUSTER_ID_FILE = "cluster.id";
  private static final String CLIENT_PREFIX = "client.";

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final int interBrokerPort;
  private final KafkaRaftServer server;
  private final Map<String, Object> clientSecurity;
  private volatile boolean closed;

  private EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, int interBrokerPort, KafkaRaftServer server,
                              Map<String, Object> clientSecurity) {
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.interBrokerPort = interBrokerPort;
    this.server = server;
    this.clientSecurity = clientSecurity;
  }

  /** Starts a broker on an ephemeral loopback port. */
  public static EmbeddedKafkaBroker start(Path dataDir) {
    return start(dataDir, 0, Map.of());
  }

  /**
   * Starts a broker.
   *
   * @param dataDir   log and metadata directories live below it; formatted when empty
   * @param port      client port on 127.0.0.1, 0 for any free one
   * @param overrides extra broker properties (e.g. SASL listeners); they win over the defaults
   */
  public static EmbeddedKafkaBroker start(Path dataDir, int port, Map<String, String> overrides) {
    return start(dataDir, port, overrides, null);
  }

  /**
   * Starts a broker that takes authenticated clients only: SASL/SCRAM-SHA-512 on its client listener,
   * mutual TLS on its controller listener, with {@code credentials}. {@link #clientProperties()}
   * carries the SCRAM settings.
   */
  public static EmbeddedKafkaBroker startSecured(Path dataDir, int port, Map<String, String> overrides, BrokerCredentials credentials) {
    Map<String, String> all = new LinkedHashMap<>(credentials.brokerOverrides());
    credentials.clientProperties().forEach((k, v) -> all.put(CLIENT_PREFIX + k, v));
    all.putAll(overrides);
    EmbeddedKafkaBroker broker = start(dataDir, port, all, credentials);
    credentials.recordBootstrapServers(broker.bootstrapServers());
    return broker;
  }

  private static EmbeddedKafkaBroker start(Path dataDir, int port, Map<String, String> overrides, BrokerCredentials credentials) {
    long started = System.nanoTime();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new BrokerStartException("cannot create Kafka data directory " + dataDir + ": " + e.getMessage(), e);
    }
    int clientPort = port == 0 ? LoopbackPort.free() : requireFreePort(port);
    int controllerPort = LoopbackPort.free();
    int interBrokerPort = LoopbackPort.free();
    Path logDir = dataDir.resolve("kafka-logs");
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("listeners", "PLAINTEXT://" + LOOPBACK + ":" + clientPort + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + clientPort);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "4");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "true");
    props.put("num.partitions", "1");
    props.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("background.threads", "2");
    // "client.*" keys are what a client needs to reach a secured listener, not broker settings.
    overrides.forEach((k, v) -> {
      if (!k.startsWith(CLIENT_PREFIX)) {
        props.put(k, v.replace("${port}", String.valueOf(clientPort)).replace("${controllerPort}", String.valueOf(controllerPort))
            .replace("${interBrokerPort}", String.valueOf(interBrokerPort)));
      }
    });
    Map<String, Object> clientSecurity = clientSecurity(overrides);

    KafkaConfig config = new KafkaConfig(props, false);
    format(config, dataDir, logDir);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      shutdownQuietly(server);
      throw new BrokerStartException("embedded Kafka did not start on 127.0.0.1:" + clientPort + ": " + e.getMessage(), e);
    }
    if (credentials != null) {
      try {
        credentials.registerUser(LOOPBACK + ":" + interBrokerPort);
      } catch (RuntimeException e) {
        shutdownQuietly(server);
        throw e;
      }
    }
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, clientPort, controllerPort,
        credentials == null ? 0 : interBrokerPort, server, clientSecurity);
    broker.awaitReady(Duration.ofSeconds(60));
    log.info("embedded Kafka ready on {} in {} ms (data in {})", broker.bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dataDir);
    return broker;
  }

  public String bootstrapServers() {
    return LOOPBACK + ":" + port;
  }

  public int port() {
    return port;
  }

  /** The controller listener's port on 127.0.0.1. */
  public int controllerPort() {
    return controllerPort;
  }

  /** The port of the broker's own mutual-TLS listener on 127.0.0.1 when secured, else 0. */
  public int interBrokerPort() {
    return interBrokerPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Client properties that reach this broker (bootstrap servers and, when configured, its security). */
  public Map<String, Object> clientProperties() {
    Map<String, Object> p = new LinkedHashMap<>(clientSecurity);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return p;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    shutdownQuietly(server);
    log.info("embedded Kafka on {} stopped", bootstrapServers());
  }

  private void awaitReady(Duration timeout) {
    Map<String, Object> p = clientProperties();
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(p)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            close();
            throw new BrokerStartException("embedded Kafka on " + bootstrapServers() + " not ready after " + timeout.toSeconds() + " s", e);
          }
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new BrokerStartException("interrupted while waiting for embedded Kafka", e);
    }
  }

  private static void format(KafkaConfig config, Path dataDir, Path logDir) {
    Path idFile = dataDir.resolve(CLUSTER_ID_FILE);
    try {
      String clusterId;
      if (Files.exists(idFile)) {
        clusterId = Files.readString(idFile).trim();
      } else {
        clusterId = Uuid.randomUuid().toString();
      }
      new Formatter()
          .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
          .setNodeId(config.nodeId())
          .setClusterId(clusterId)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setIgnoreFormatted(true)
          .setControllerListenerName(config.controllerListenerNames().get(0))
          .setMetadataLogDirectory(config.metadataLogDir())
          .setDirectories(List.of(logDir.toString()))
          .run();
      if (!Files.exists(idFile)) {
        Files.writeString(idFile, clusterId + "\n");
      }
    } catch (Exception e) {
      throw new BrokerStartException("cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> clientSecurity(Map<String, String> overrides) {
    Map<String, Object> p = new LinkedHashMap<>();
    overrides.forEach((k, v) -> {
      if (k.startsWith(CLIENT_PREFIX)) {
        p.put(k.substring(CLIENT_PREFIX.length()), v);
      }
    });
    return p;
  }

  private static void shutdownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      log.warn("embedded Kafka shutdown: {}", e.toString());
    }
  }

  private static int requireFreePort(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
      return port;
    } catch (IOException e) {
      throw new BrokerStartException("port " + port + " on 127.0.0.1 is in use: stop what holds it or choose another port", e);
    }
  }

  /**
   * Broker overrides for one client listener speaking {@code protocol} (named after it, and used
   * between brokers too) beside the controller's; the protocol's own settings are the caller's.
   */
  public static Map<String, String> oneListener(String protocol) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("listeners", protocol + "://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}");
    m.put("advertised.listeners", protocol + "://127.0.0.1:${port}");
    m.put("listener.security.protocol.map", protocol + ":" + protocol + ",CONTROLLER:PLAINTEXT");
    m.put("inter.broker.listener.name", protocol);
    return m;
  }

  /** Loads broker overrides from a properties file (used for SASL/TLS listener setups). */
  public static Map<String, String> loadOverrides(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> m = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }
}

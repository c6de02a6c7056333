package dev.bpfstream.fleet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;

/**
 * The Kafka brokers: each a KRaft node that is broker and controller at once (a 3-voter quorum), run
 * by Kafka's own main class {@code kafka.Kafka} with a {@code server.properties} of its own. Topics
 * are replicated 3 times with {@code min.insync.replicas=2}; so are the offsets and transaction logs,
 * so a producer with {@code acks=all} and the jobs' transactions go on when one broker dies.
 */
public final class KafkaNodes {
  public static final String MAIN = "kafka.Kafka";
  /** What every fleet topic and Kafka's own logs get; FleetFilesTest holds the compose file and manifests to the same. */
  public static final int REPLICATION_FACTOR = 3;
  public static final int MIN_INSYNC_REPLICAS = 2;

  private KafkaNodes() {
  }

  public static String name(int broker) {
    return "kafka-" + broker;
  }

  /** The broker settings of node {@code broker} (1-based). */
  public static Map<String, String> serverProperties(ClusterLayout l, int broker) {
    int rf = Math.min(REPLICATION_FACTOR, l.brokers());
    int minIsr = Math.min(MIN_INSYNC_REPLICAS, rf);
    String voters = IntStream.rangeClosed(1, l.brokers())
        .mapToObj(i -> i + "@" + ClusterLayout.LOOPBACK + ":" + l.brokerControllerPort(i)).collect(Collectors.joining(","));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(broker));
    p.put("controller.quorum.voters", voters);
    p.put("listeners", "PLAINTEXT://" + ClusterLayout.LOOPBACK + ":" + l.brokerPort(broker)
        + ",CONTROLLER://" + ClusterLayout.LOOPBACK + ":" + l.brokerControllerPort(broker));
    p.put("advertised.listeners", "PLAINTEXT://" + ClusterLayout.LOOPBACK + ":" + l.brokerPort(broker));
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", l.kafkaData(broker).resolve("logs").toString());
    p.put("default.replication.factor", String.valueOf(rf));
    p.put("min.insync.replicas", String.valueOf(minIsr));
    p.put("offsets.topic.replication.factor", String.valueOf(rf));
    p.put("offsets.topic.num.partitions", "10");
    p.put("transaction.state.log.replication.factor", String.valueOf(rf));
    p.put("transaction.state.log.min.isr", String.valueOf(minIsr));
    p.put("transaction.state.log.num.partitions", "10");
    p.put("share.coordinator.state.topic.replication.factor", String.valueOf(rf));
    p.put("share.coordinator.state.topic.min.isr", String.valueOf(minIsr));
    // Topics come from `bpfstream topics create` (partitions, compaction); a typo must not create one.
    p.put("auto.create.topics.enable", "false");
    p.put("unclean.leader.election.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("background.threads", "4");
    ClusterCredentials.of(l).ifPresent(c -> {
      p.put("listeners", "CLIENT://" + ClusterLayout.LOOPBACK + ":" + l.brokerPort(broker)
          + ",CONTROLLER://" + ClusterLayout.LOOPBACK + ":" + l.brokerControllerPort(broker));
      p.put("advertised.listeners", "CLIENT://" + ClusterLayout.LOOPBACK + ":" + l.brokerPort(broker));
      p.putAll(c.brokerProperties());
    });
    return p;
  }

  /** Writes node {@code broker}'s properties file and formats its storage on first start; returns the file. */
  static Path prepare(ClusterLayout l, int broker, String clusterId) {
    Map<String, String> props = serverProperties(l, broker);
    Path file = l.conf().resolve(name(broker) + ".properties");
    Properties p = new Properties();
    p.putAll(props);
    try {
      Files.createDirectories(l.conf());
      // Private: a secured cluster's file holds the admin and controller passwords.
      ClusterCredentials.writePrivate(file, p, "Kafka node " + broker + " of the bpfstream cluster (written by cluster up; edits are overwritten)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    KafkaConfig config = new KafkaConfig(props, false);
    try {
      // What `kafka-storage.sh format -t ID -c FILE --ignore-formatted [--add-scram ...]` does, without a JVM of its own.
      Formatter formatter = new Formatter();
      ClusterCredentials.of(l).ifPresent(c -> formatter.setScramArguments(c.scramArguments()));
      formatter
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(broker)
          .setClusterId(clusterId)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setIgnoreFormatted(true)
          .setControllerListenerName(config.controllerListenerNames().get(0))
          .setMetadataLogDirectory(config.metadataLogDir())
          .setDirectories(List.of(l.kafkaData(broker).resolve("logs").toString()))
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the storage of " + name(broker) + " in " + l.kafkaData(broker) + ": " + e.getMessage(), e);
    }
    return file;
  }

  /** The cluster id, made on the first start and kept in the data directory. */
  static String clusterId(ClusterLayout l) {
    Path f = l.dataDir().resolve("kafka-cluster.id");
    try {
      if (Files.isRegularFile(f)) {
        return Files.readString(f).trim();
      }
      String id = Uuid.randomUuid().toString();
      Files.createDirectories(l.dataDir());
      Files.writeString(f, id + "\n");
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the Kafka cluster id in " + f + ": " + e.getMessage(), e);
    }
  }

  static NodeProcess start(ClusterLayout l, int broker, Path properties) {
    List<String> jvm = List.of("-Xms" + l.brokerHeap(), "-Xmx" + l.brokerHeap(), "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
        "-Djava.awt.headless=true", "-Dlog.file=" + l.logs().resolve(name(broker) + ".log"),
        "-Dlog4j2.configurationFile=" + NodeLogging.file(l).toUri());
    return NodeProcess.start(l, name(broker), jvm, MAIN, List.of(properties.toString()));
  }
}

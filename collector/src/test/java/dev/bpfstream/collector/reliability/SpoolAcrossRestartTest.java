package dev.bpfstream.collector.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bpfstream.broker.EmbeddedKafkaBroker;
import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.cli.CollectorMain;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.schema.WireCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka is down, the collector spools, and is killed with SIGKILL: a new collector process with the
 * same spool directory replays what the dead one spooled once Kafka is up.
 */
class SpoolAcrossRestartTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void bpfAvailable() {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
  }

  private Process collector(int port, Path spool) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        CollectorMain.class.getName(), "run", "--bootstrap-servers", "127.0.0.1:" + port, "--probes", "exec",
        "--spool-dir", spool.toString(), "--spool-policy", "block", "--metrics-port", "0", "--host-id", "restart-host")
        .redirectErrorStream(true).redirectOutput(dir.resolve("collector-" + System.nanoTime() + ".log").toFile()).start();
  }

  @Test
  void whatAKilledCollectorSpooledIsReplayedByTheNextOne() throws Exception {
    Path spool = dir.resolve("spool");
    Path brokerDir = dir.resolve("kafka");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(brokerDir);
    int port = broker.port();
    broker.close(); // Kafka is down from here on

    String marker = "spool-" + UUID.randomUUID().toString().substring(0, 8);
    Process first = collector(port, spool);
    try {
      awaitLog(dir, "probe(s) attached", Duration.ofSeconds(60));
      for (int i = 0; i < 50; i++) {
        new ProcessBuilder("/bin/true", marker, String.valueOf(i)).start().waitFor();
      }
      long size = -1;
      for (int i = 0; i < 100; i++) { // until the spool stops growing
        Thread.sleep(200);
        long now = spoolBytes(spool);
        if (now > 0 && now == size) {
          break;
        }
        size = now;
      }
      assertThat(size).as("the collector spooled while Kafka was down").isPositive();
    } finally {
      first.destroyForcibly(); // SIGKILL: no flush, no shutdown hook
      first.waitFor(10, TimeUnit.SECONDS);
    }

    broker = EmbeddedKafkaBroker.start(brokerDir, port, Map.of());
    Process second = collector(port, spool);
    try {
      Set<String> seen = readMarkers(broker, marker, 50, Duration.ofSeconds(90));
      assertThat(seen).hasSize(50);
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
      broker.close();
    }
  }

  private static long spoolBytes(Path spool) throws Exception {
    if (!Files.exists(spool)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(spool)) {
      return s.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void awaitLog(Path dir, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.filter(f -> f.getFileName().toString().startsWith("collector-")).toList()) {
          if (Files.readString(p).contains(text)) {
            return;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("collector did not log '" + text + "' within " + timeout);
  }

  private static Set<String> readMarkers(EmbeddedKafkaBroker broker, String marker, int expected, Duration timeout) {
    Map<String, Object> p = new HashMap<>(broker.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID());
    WireCodec<ProcessExec> codec = WireCodec.of(ProcessExec.class);
    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition("bpf.exec", 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      while (seen.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          ProcessExec e = codec.decode(r.value());
          List<String> argv = new ArrayList<>(e.getArgv());
          if (argv.size() == 3 && argv.get(1).equals(marker)) {
            seen.add(argv.get(2));
          }
        }
      }
    }
    return seen;
  }
}

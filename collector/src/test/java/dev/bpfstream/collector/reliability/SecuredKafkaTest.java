package dev.bpfstream.collector.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.BrokerCredentials;
import dev.bpfstream.broker.EmbeddedKafkaBroker;
import dev.bpfstream.broker.LoopbackKeyStore;
import dev.bpfstream.broker.SaslPlainListener;
import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.cli.CollectorMain;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.schema.WireCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security settings pass through from the collector's --kafka-config file to the producer: SASL/PLAIN,
 * and mutual TLS (a broker listener that takes only clients presenting its certificate).
 */
class SecuredKafkaTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void bpfAvailable() {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
  }

  @Test
  void theCollectorProducesThroughSaslWithTheCredentialsOfItsPropertiesFile() throws Exception {
    SaslPlainListener sasl = new SaslPlainListener(Map.of("collector", "collector-secret"));
    producesThrough(sasl.brokerOverrides(), SaslPlainListener.clientProperties("collector", "collector-secret")).close();
  }

  @Test
  void theCollectorProducesThroughMutualTlsWithTheKeyOfItsPropertiesFile() throws Exception {
    LoopbackKeyStore key = LoopbackKeyStore.create(dir.resolve("tls.p12"), "tls-test-secret");
    Map<String, String> client = BrokerCredentials.sslProperties(key);
    Map<String, String> broker = EmbeddedKafkaBroker.oneListener("SSL");
    broker.put("ssl.client.auth", "required");
    client.forEach((k, v) -> {
      if (k.startsWith("ssl.")) {
        broker.put(k, v);
      }
      broker.put("client." + k, v);
    });
    EmbeddedKafkaBroker b = producesThrough(broker, client);
    try (b) {
      // The same settings without the key: the listener refuses the handshake.
      Map<String, Object> noKey = new HashMap<>(client);
      noKey.keySet().removeIf(k -> k.startsWith("ssl.keystore") || k.equals("ssl.key.password"));
      noKey.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers());
      noKey.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(noKey, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        assertThatThrownBy(() -> consumer.partitionsFor("bpf.exec")).isInstanceOf(SslAuthenticationException.class);
      }
    }
  }

  /** Runs the collector with {@code clientProperties} as its --kafka-config; returns the broker, still running. */
  private EmbeddedKafkaBroker producesThrough(Map<String, String> brokerOverrides, Map<String, String> clientProperties) throws Exception {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, brokerOverrides);
    try {
      Path props = dir.resolve("client.properties");
      StringBuilder sb = new StringBuilder();
      clientProperties.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
      Files.writeString(props, sb.toString());
      String marker = "secured-" + UUID.randomUUID().toString().substring(0, 8);
      StringWriter err = new StringWriter();
      CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> CollectorMain.execute(
          new PrintWriter(new StringWriter()), new PrintWriter(err, true),
          "run", "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config", props.toString(),
          "--probes", "exec", "--duration", "8s", "--no-spool", "--metrics-port", "0", "--host-id", "secured-host"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!err.toString().contains("attached") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      for (int i = 0; i < 3; i++) {
        new ProcessBuilder("/bin/true", marker).start().waitFor();
      }
      assertThat(run.get(90, TimeUnit.SECONDS)).as(err.toString()).isZero();

      Map<String, Object> c = new HashMap<>(clientProperties);
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "sasl-check");
      int found = 0;
      WireCodec<ProcessExec> codec = WireCodec.of(ProcessExec.class);
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        TopicPartition tp = new TopicPartition("bpf.exec", 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (found < 3 && System.nanoTime() < end) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            if (codec.decode(r.value()).getArgv().contains(marker)) {
              found++;
            }
          }
        }
      }
      assertThat(found).isEqualTo(3);
      return broker;
    } catch (Exception | Error e) {
      broker.close();
      throw e;
    }
  }
}

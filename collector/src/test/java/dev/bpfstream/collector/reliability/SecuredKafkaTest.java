package dev.bpfstream.collector.reliability;

import static org.assertj.core.api.Assertions.assertThat;

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

import dev.bpfstream.broker.EmbeddedKafkaBroker;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SASL settings pass through from the collector's --kafka-config file to a SASL/PLAIN broker on loopback. */
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
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, sasl.brokerOverrides())) {
      Path props = dir.resolve("client.properties");
      StringBuilder sb = new StringBuilder();
      SaslPlainListener.clientProperties("collector", "collector-secret").forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
      Files.writeString(props, sb.toString());
      String marker = "sasl-" + UUID.randomUUID().toString().substring(0, 8);
      StringWriter err = new StringWriter();
      CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> CollectorMain.execute(
          new PrintWriter(new StringWriter()), new PrintWriter(err, true),
          "run", "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config", props.toString(),
          "--probes", "exec", "--duration", "8s", "--no-spool", "--metrics-port", "0", "--host-id", "sasl-host"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!err.toString().contains("attached") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      for (int i = 0; i < 3; i++) {
        new ProcessBuilder("/bin/true", marker).start().waitFor();
      }
      assertThat(run.get(90, TimeUnit.SECONDS)).as(err.toString()).isZero();

      Map<String, Object> c = new HashMap<>(SaslPlainListener.clientProperties("collector", "collector-secret"));
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
    }
  }
}

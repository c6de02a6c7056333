package dev.bpfstream.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.bpfstream.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicLeadersTest {
  @TempDir
  Path dir;

  @Test
  void afterTheWaitEveryNewPartitionTakesWritesAtOnce() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, Map.of());
        Admin admin = Admin.create(broker.clientProperties())) {
      List<String> topics = List.of("a", "b", "c", "d");
      admin.createTopics(topics.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);

      TopicLeaders.await(admin, topics, 30_000);

      // An idempotent producer with several batches in flight: what stalled on a partition not yet led.
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
          sent.add(producer.send(new ProducerRecord<>(topics.get(i % 4), i % 3, null, new byte[100])));
        }
        for (Future<RecordMetadata> f : sent) {
          assertThat(f.get(5, TimeUnit.SECONDS).offset()).isNotNegative();
        }
      }
    }
  }

  @Test
  void aTopicThatNeverAppearsEndsInATimeoutNamingIt() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, Map.of());
        Admin admin = Admin.create(broker.clientProperties())) {
      assertThatThrownBy(() -> TopicLeaders.await(admin, List.of("never-created"), 1_500))
          .isInstanceOf(TimeoutException.class).hasMessageContaining("never-created");
    }
  }
}

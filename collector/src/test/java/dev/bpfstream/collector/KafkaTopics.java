package dev.bpfstream.collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic of the real broker until a record matches, as a downstream consumer would. */
public final class KafkaTopics {
  private KafkaTopics() {
  }

  public static <T extends SpecificRecord> List<T> readUntil(TestBroker broker, String prefix, Topic topic, Class<T> type,
                                                             Predicate<List<T>> done, Duration timeout) {
    Map<String, Object> p = new HashMap<>(broker.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<T> got = new ArrayList<>();
    try (KafkaConsumer<byte[], T> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new WireDeserializer<>(type))) {
      c.subscribe(List.of(prefix + topic.topicName()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], T> r : c.poll(Duration.ofMillis(200))) {
          got.add(r.value());
        }
        if (done.test(got)) {
          return got;
        }
      }
    }
    throw new AssertionError("topic " + prefix + topic.topicName() + ": condition not met within " + timeout + " after " + got.size() + " records");
  }
}

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
import org.apache.kafka.common.TopicPartition;
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

  /** Every record the topic holds now, all partitions, oldest first per partition (empty if no such topic). */
  public static <T extends SpecificRecord> List<T> readAll(TestBroker broker, String topicName, Class<T> type) {
    Map<String, Object> p = new HashMap<>(broker.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    List<T> got = new ArrayList<>();
    try (KafkaConsumer<byte[], T> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new WireDeserializer<>(type))) {
      List<TopicPartition> parts = c.partitionsFor(topicName, Duration.ofSeconds(30)).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      if (parts.isEmpty()) {
        return got;
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("topic " + topicName + ": could not read to its end within 120 s");
        }
        for (ConsumerRecord<byte[], T> r : c.poll(Duration.ofMillis(500))) {
          got.add(r.value());
        }
      }
    }
    return got;
  }
}

package dev.bpfstream.jobs.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import dev.bpfstream.schema.TopicLeaders;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes wire records into topics and reads committed ones back, for tests. */
public final class KafkaIO implements AutoCloseable {
  private final TestBroker broker;
  private final KafkaProducer<byte[], byte[]> producer;
  private final java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();

  public KafkaIO(TestBroker broker) {
    this.broker = broker;
    Map<String, Object> p = new HashMap<>(broker.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // One batch in flight per connection: with several, the first batch to a partition whose leader
    // is not ready yet (a topic just created) can be overtaken, and the broker then refuses it for
    // ever (OUT_OF_ORDER_SEQUENCE_NUMBER): the record would be lost.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(broker.clientProperties())) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
      TopicLeaders.await(admin, List.of(topic), 30_000);
    }
  }

  /** Creates the topics (one partition each) as a deployment does before its jobs start. */
  public void createTopics(java.util.Collection<String> topics) throws Exception {
    try (Admin admin = Admin.create(broker.clientProperties())) {
      admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
      TopicLeaders.await(admin, topics, 30_000);
    }
  }

  @SuppressWarnings("unchecked")
  public <T extends SpecificRecord> void send(String topic, String key, T record) {
    WireCodec<T> codec = WireCodec.of((Class<T>) record.getClass());
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), codec.encode(record)), this::sent);
  }

  @SuppressWarnings("unchecked")
  public <T extends SpecificRecord> void send(String topic, int partition, String key, T record) {
    WireCodec<T> codec = WireCodec.of((Class<T>) record.getClass());
    producer.send(new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), codec.encode(record)), this::sent);
  }

  public void sendRaw(String topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), this::sent);
  }

  private void sent(org.apache.kafka.clients.producer.RecordMetadata m, Exception e) {
    if (e != null) {
      failed.compareAndSet(null, e);
    }
  }

  /** Waits until everything sent is written; fails if anything could not be. */
  public void flush() {
    producer.flush();
    Exception e = failed.getAndSet(null);
    if (e != null) {
      throw new IllegalStateException("a test record was not written: " + e, e);
    }
  }

  /** Committed records of a topic, decoded, until {@code done} holds for the list read so far or the timeout passes. */
  public <T extends SpecificRecord> List<T> readCommitted(String topic, Class<T> type, Predicate<List<T>> done, Duration timeout) {
    return readCommittedWithKeys(topic, type, done, timeout).values;
  }

  public <T extends SpecificRecord> Keyed<T> readCommittedWithKeys(String topic, Class<T> type, Predicate<List<T>> done, Duration timeout) {
    Map<String, Object> p = new HashMap<>(broker.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    WireCodec<T> codec = WireCodec.of(type);
    Keyed<T> out = new Keyed<>(new ArrayList<>(), new ArrayList<>());
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(Set.of(topic));
      while (!done.test(out.values) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          out.keys.add(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
          out.values.add(codec.decode(r.value()));
        }
      }
    }
    return out;
  }

  public record Keyed<T>(List<String> keys, List<T> values) {
  }

  @Override
  public void close() {
    producer.close();
  }
}

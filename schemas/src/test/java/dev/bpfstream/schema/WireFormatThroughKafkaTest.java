package dev.bpfstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.fuzz.RandomRecords;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class WireFormatThroughKafkaTest {
  private final RandomRecords random = new RandomRecords(3);

  @Test
  void typedEventsOfEveryTopicComeBackEqualThroughTheBroker(TestBroker broker) throws Exception {
    String run = UUID.randomUUID().toString();
    Map<String, Topic> byName = new HashMap<>();
    for (Topic t : Topic.values()) {
      byName.put(t.topicName() + "-" + run, t);
    }
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(broker.clientProperties())) {
      admin.createTopics(byName.keySet().stream().map(n -> new org.apache.kafka.clients.admin.NewTopic(n, 1, (short) 1)).toList())
          .all().get();
    }
    Map<String, List<Object>> sent = new HashMap<>();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(broker), new StringSerializer(), new ByteArraySerializer())) {
      for (Map.Entry<String, Topic> e : byName.entrySet()) {
        for (int i = 0; i < 5; i++) {
          SpecificRecord r = random.specific(e.getValue().recordType());
          sent.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(r);
          producer.send(new ProducerRecord<>(e.getKey(), "host-a", serialize(e.getValue(), e.getKey(), r)));
        }
      }
      producer.flush();
    }
    Map<String, List<Object>> got = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps(broker), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<org.apache.kafka.common.TopicPartition> parts = byName.keySet().stream()
          .map(n -> new org.apache.kafka.common.TopicPartition(n, 0)).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int total = 0;
      while (total < 5 * byName.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Topic t = byName.get(r.topic());
          got.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(deserializer(t).deserialize(r.topic(), r.value()));
          total++;
        }
      }
    }
    for (String topic : byName.keySet()) {
      assertThat(got.get(topic)).as(topic).containsExactlyElementsOf(sent.get(topic));
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static byte[] serialize(Topic t, String topic, SpecificRecord r) {
    return new WireSerializer(t.recordType()).serialize(topic, r);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static WireDeserializer<SpecificRecord> deserializer(Topic t) {
    return new WireDeserializer(t.recordType());
  }

  @Test
  void oldAndNewWriterVersionsShareATopicAndBothReadersReadBoth(TestBroker broker) throws IOException {
    Schema v0 = parse("/evolution/ProcessExec-v0.avsc");
    Schema current = ProcessExec.getClassSchema();
    SchemaStore store = SchemaStore.shipped().with(List.of(v0));
    String topic = "bpf.exec-evolution-" + UUID.randomUUID();

    // An old producer writes v0 (has legacyTag, lacks dirMode); a new one writes the current version.
    ProcessExec fromNew = random.specific(ProcessExec.class);
    fromNew.setDirMode(01777);
    GenericRecord fromOld = toGeneric(random.specific(ProcessExec.class), v0);
    fromOld.put("legacyTag", "written-by-v0");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(broker), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, "old-host", WireCodec.generic(v0, store).encode(fromOld)));
      producer.send(new ProducerRecord<>(topic, "new-host", WireCodec.of(ProcessExec.class).encode(fromNew)));
      producer.flush();
    }

    List<byte[]> messages;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps(broker), new StringDeserializer(), new ByteArrayDeserializer())) {
      messages = readAll(consumer, topic, 2);
    }

    // The new reader: the old record gets the new field's default, the removed field is gone.
    WireCodec<ProcessExec> newReader = WireCodec.of(ProcessExec.class, store);
    ProcessExec oldAsNew = newReader.decode(messages.get(0));
    assertThat(oldAsNew.getDirMode()).isZero();
    assertThat(oldAsNew.getFilename()).isEqualTo(fromOld.get("filename").toString());
    assertThat(newReader.decode(messages.get(1))).isEqualTo(fromNew);

    // The old reader: the new record gets the old field's default, the new field is skipped.
    WireCodec<Object> oldReader = WireCodec.generic(v0, store);
    GenericRecord newAsOld = (GenericRecord) oldReader.decode(messages.get(1));
    assertThat(newAsOld.get("legacyTag").toString()).isEmpty();
    assertThat(newAsOld.get("filename").toString()).isEqualTo(fromNew.getFilename());
    assertThat(newAsOld.hasField("dirMode")).isFalse();
    assertThat(((GenericRecord) oldReader.decode(messages.get(0))).get("legacyTag").toString()).isEqualTo("written-by-v0");
    assertThat(current.getField("legacyTag")).isNull();
  }

  private static GenericRecord toGeneric(ProcessExec r, Schema v0) {
    GenericData.Record g = new GenericData.Record(v0);
    for (Schema.Field f : v0.getFields()) {
      Schema.Field cur = r.getSchema().getField(f.name());
      g.put(f.name(), cur == null ? f.defaultVal() : GenericData.get().deepCopy(cur.schema(), r.get(cur.pos())));
    }
    return g;
  }

  private static Schema parse(String resource) throws IOException {
    try (InputStream in = WireFormatThroughKafkaTest.class.getResourceAsStream(resource)) {
      return new Schema.Parser().parse(in);
    }
  }

  private static <V> List<V> readAll(KafkaConsumer<String, V> consumer, String topic, int expected) {
    // Single-partition topics: assign instead of joining a group (no rebalance wait).
    org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
    List<V> got = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (got.size() < expected && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
        got.add(r.value());
      }
    }
    return got;
  }

  static Map<String, Object> producerProps(TestBroker broker) {
    Map<String, Object> p = new HashMap<>(broker.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return p;
  }

  static Map<String, Object> consumerProps(TestBroker broker) {
    Map<String, Object> p = new HashMap<>(broker.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return p;
  }
}

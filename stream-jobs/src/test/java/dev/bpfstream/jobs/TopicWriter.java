package dev.bpfstream.jobs;

import java.util.HashMap;
import java.util.Map;

import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes records to the (prefixed) topic of their type in the wire format, as the collector and jobs do. */
public final class TopicWriter implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final String prefix;
  private final Map<Class<?>, WireCodec<SpecificRecord>> codecs = new HashMap<>();

  public TopicWriter(TestBroker broker, String prefix) {
    Map<String, Object> props = new HashMap<>(broker.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.prefix = prefix;
  }

  @SuppressWarnings("unchecked")
  public TopicWriter send(String key, SpecificRecord record) {
    WireCodec<SpecificRecord> codec = codecs.computeIfAbsent(record.getClass(),
        c -> (WireCodec<SpecificRecord>) (WireCodec<?>) WireCodec.of((Class<SpecificRecord>) c));
    producer.send(new ProducerRecord<>(prefix + Topic.forType(record.getClass()).topicName(), key, codec.encode(record)));
    return this;
  }

  public TopicWriter sendRaw(Topic topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(prefix + topic.topicName(), key, value));
    return this;
  }

  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}

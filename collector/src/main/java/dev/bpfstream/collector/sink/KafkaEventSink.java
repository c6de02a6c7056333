package dev.bpfstream.collector.sink;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces records in the wire format, keyed by host (per-host order within a partition), with
 * batching, lz4 and idempotence. Acks and failures are counted on the probe that made the record.
 */
public final class KafkaEventSink implements EventSink {
  private final KafkaProducer<byte[], byte[]> producer;
  private final RecordKeys keys;
  private final String topicPrefix;
  private final Map<Topic, String> topicNames = new EnumMap<>(Topic.class);
  private final ThreadLocal<Map<Topic, WireCodec<SpecificRecord>>> codecs = ThreadLocal.withInitial(() -> new EnumMap<>(Topic.class));
  private final LongAdder sendErrors = new LongAdder();

  public KafkaEventSink(Map<String, Object> clientProperties, String hostId, String topicPrefix) {
    Map<String, Object> p = new HashMap<>(defaults());
    p.putAll(clientProperties);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.keys = new RecordKeys(hostId);
    this.topicPrefix = topicPrefix == null ? "" : topicPrefix;
    for (Topic t : Topic.values()) {
      topicNames.put(t, this.topicPrefix + t.topicName());
    }
  }

  static Map<String, Object> defaults() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bpfstream-collector");
    return p;
  }

  @Override
  public void accept(Topic topic, SpecificRecord record, ProbeCounters counters) {
    byte[] value = codec(topic).encode(record);
    try {
      producer.send(new ProducerRecord<>(topicNames.get(topic), keys.key(topic, record), value), callback(counters));
    } catch (RuntimeException e) {
      // Buffer full past max.block.ms, or the producer is closing: the record is lost, and counted.
      sendErrors.increment();
      counters.produceErrors.increment();
      counters.dropped.increment();
    }
  }

  private static Callback callback(ProbeCounters counters) {
    Object cb = counters.ackCallback();
    if (cb instanceof Callback c) {
      return c;
    }
    Callback c = (RecordMetadata md, Exception e) -> {
      if (e == null) {
        counters.produced.increment();
      } else {
        counters.produceErrors.increment();
        counters.dropped.increment();
      }
    };
    counters.ackCallback(c);
    return c;
  }

  @SuppressWarnings("unchecked")
  private WireCodec<SpecificRecord> codec(Topic topic) {
    return codecs.get().computeIfAbsent(topic, t -> (WireCodec<SpecificRecord>) WireCodec.of(t.recordType()));
  }

  public long sendErrors() {
    return sendErrors.sum();
  }

  @Override
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(10));
  }
}

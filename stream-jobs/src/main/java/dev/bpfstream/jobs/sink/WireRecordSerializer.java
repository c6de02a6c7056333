package dev.bpfstream.jobs.sink;

import java.nio.charset.StandardCharsets;

import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes records in the wire format to one topic, keyed by {@link RecordKey}. */
public final class WireRecordSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final Class<T> type;
  private final RecordKey<T> key;
  private transient WireCodec<T> codec;

  public WireRecordSerializer(String topic, Class<T> type, RecordKey<T> key) {
    this.topic = topic;
    this.type = type;
    this.key = key;
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    codec = WireCodec.of(type);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
    if (codec == null) {
      codec = WireCodec.of(type);
    }
    // No record timestamp from event time: the broker refuses timestamps too far from its clock
    // (log.message.timestamp.*.max.ms), and one skewed host must not stop the sink. Kafka stamps it.
    return new ProducerRecord<>(topic, null, null, key.of(element).getBytes(StandardCharsets.UTF_8), codec.encode(element));
  }
}

package dev.bpfstream.jobs.wire;

import dev.bpfstream.schema.WireCodec;
import dev.bpfstream.schema.WireFormatException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one topic's wire records for a Kafka source. A message that cannot be read (wrong magic
 * byte, unknown schema fingerprint, truncated, corrupt, another record type) does not fail the job
 * and is not skipped: it is handed on as a dead letter with its bytes and the reason
 * ({@code TRUNCATED: ...}), counted in the source's {@code rejectedRecords} metric and logged.
 * {@link DeadLetterSplit} then sends it to the dead-letter topic.
 */
public final class DeadLetteringDeserializer<T extends SpecificRecordBase> implements KafkaRecordDeserializationSchema<Decoded<T>> {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(DeadLetteringDeserializer.class);
  /** A flood of bad records logs its first ones, then one line per this many. */
  private static final long LOG_EVERY = 1_000;

  private final Class<T> type;
  private transient WireCodec<T> codec;
  private transient Counter rejected;
  private transient long rejectedHere;

  public DeadLetteringDeserializer(Class<T> type) {
    this.type = type;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    codec = WireCodec.of(type);
    rejected = context.getMetricGroup().counter("rejectedRecords");
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded<T>> out) {
    if (codec == null) {
      codec = WireCodec.of(type);
    }
    T value;
    try {
      value = codec.decode(record.value());
    } catch (WireFormatException e) {
      String reason = e.reason() + ": " + e.getMessage();
      if (rejected != null) {
        rejected.inc();
      }
      rejectedHere++;
      if (rejectedHere <= 10 || rejectedHere % LOG_EVERY == 0) {
        log.warn("unreadable record {}/{}@{} sent to the dead-letter topic ({} so far): {}",
            record.topic(), record.partition(), record.offset(), rejectedHere, reason);
      }
      out.collect(Decoded.rejected(DeadLetters.of(record.topic(), record.partition(), record.offset(), record.key(), record.value(), reason)));
      return;
    }
    out.collect(Decoded.of(value));
  }

  @Override
  public TypeInformation<Decoded<T>> getProducedType() {
    return Decoded.typeInfo(type);
  }
}

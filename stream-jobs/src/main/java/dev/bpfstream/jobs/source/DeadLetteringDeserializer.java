package dev.bpfstream.jobs.source;

import java.io.Serializable;
import java.time.Duration;

import dev.bpfstream.jobs.wire.DeadLetters;
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
 * {@link DeadLetterSplit} then sends it to the dead-letter topic. Given an {@link EventStamp}, a
 * record further ahead of this job's clock than {@code maxAhead} goes the same way (reason
 * {@code FUTURE: ...}, also counted in {@code futureEvents}), before it can move a watermark.
 */
public final class DeadLetteringDeserializer<T extends SpecificRecordBase> implements KafkaRecordDeserializationSchema<Decoded<T>> {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(DeadLetteringDeserializer.class);
  /** A flood of bad records logs its first ones, then one line per this many. */
  private static final long LOG_EVERY = 1_000;

  /** When and on which host a record was written, for the limit on event times ahead of the job's clock. */
  public interface EventStamp<T> extends Serializable {
    long timeNs(T record);

    String hostId(T record);
  }

  private final Class<T> type;
  /** Null: event times are not checked. */
  private final EventStamp<T> stamp;
  private final FutureEventLimit future;
  private transient WireCodec<T> codec;
  private transient Counter rejected;
  private transient Counter futureEvents;
  private transient long rejectedHere;

  public DeadLetteringDeserializer(Class<T> type) {
    this(type, null, null);
  }

  /** Also rejects a record whose time ({@code stamp}) is more than {@code maxAhead} (null: no limit) beyond the job's clock. */
  public DeadLetteringDeserializer(Class<T> type, EventStamp<T> stamp, Duration maxAhead) {
    this.type = type;
    this.stamp = stamp;
    this.future = new FutureEventLimit(maxAhead);
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    codec = WireCodec.of(type);
    rejected = context.getMetricGroup().counter("rejectedRecords");
    if (stamp != null) {
      futureEvents = context.getMetricGroup().counter("futureEvents");
    }
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
      reject(record, e.reason() + ": " + e.getMessage(), out);
      return;
    }
    if (stamp != null && !future.admits(stamp.timeNs(value))) {
      if (futureEvents != null) {
        futureEvents.inc();
      }
      reject(record, future.reason(stamp.timeNs(value), stamp.hostId(value)), out);
      return;
    }
    out.collect(Decoded.of(value));
  }

  private void reject(ConsumerRecord<byte[], byte[]> record, String reason, Collector<Decoded<T>> out) {
    if (rejected != null) {
      rejected.inc();
    }
    rejectedHere++;
    if (rejectedHere <= 10 || rejectedHere % LOG_EVERY == 0) {
      log.warn("record {}/{}@{} sent to the dead-letter topic ({} so far): {}",
          record.topic(), record.partition(), record.offset(), rejectedHere, reason);
    }
    out.collect(Decoded.rejected(DeadLetters.of(record.topic(), record.partition(), record.offset(), record.key(), record.value(), reason)));
  }

  @Override
  public TypeInformation<Decoded<T>> getProducedType() {
    return Decoded.typeInfo(type);
  }
}

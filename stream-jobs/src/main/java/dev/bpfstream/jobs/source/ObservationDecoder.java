package dev.bpfstream.jobs.source;

import java.util.HashMap;
import java.util.Map;

import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireFormatException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;

/**
 * Reads the wire records of several topics into one reused observation. A record that cannot be
 * read is not skipped: it is handed on marked rejected (with its bytes), so the job sends it to the
 * dead-letter topic and counts it.
 */
public abstract class ObservationDecoder<O extends Observation> implements KafkaRecordDeserializationSchema<O> {
  private static final long serialVersionUID = 1L;

  private final String topicPrefix;
  private transient Map<String, Topic> topics;
  private transient O reuse;
  private transient Counter rejected;

  protected ObservationDecoder(String topicPrefix) {
    this.topicPrefix = topicPrefix;
  }

  /** The topics this decoder reads. */
  public abstract Topic[] topics();

  protected abstract O newObservation();

  /**
   * Fills {@code into} from a record of {@code topic}.
   *
   * @return false when the record carries nothing this job uses (e.g. a TCP close for latencies)
   * @throws WireFormatException when the bytes are not a readable record
   */
  protected abstract boolean decode(Topic topic, byte[] value, O into);

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    init();
    rejected = context.getMetricGroup().counter("rejectedRecords");
  }

  private void init() {
    if (topics == null) {
      topics = new HashMap<>();
      for (Topic t : topics()) {
        topics.put(topicPrefix + t.topicName(), t);
      }
      reuse = newObservation();
    }
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<O> out) {
    init();
    O o = reuse;
    o.topic = record.topic();
    o.partition = record.partition();
    o.offset = record.offset();
    o.key = record.key();
    o.value = record.value();
    o.rejectReason = null;
    Topic topic = topics.get(record.topic());
    try {
      if (topic == null) {
        throw new WireFormatException(WireFormatException.Reason.WRONG_TYPE, "topic " + record.topic() + " is not read by this job", null);
      }
      if (!decode(topic, record.value(), o)) {
        return;
      }
      if (o.timeNs == Observation.NO_TIME) {
        // The one time value that means "unknown": it must not become a window (nor move event time).
        throw new WireFormatException(WireFormatException.Reason.CORRUPT, "no event time: time " + Observation.NO_TIME, null);
      }
    } catch (WireFormatException e) {
      o.rejectReason = e.reason() + ": " + e.getMessage();
      o.timeNs = Observation.NO_TIME;
      if (rejected != null) {
        rejected.inc();
      }
    }
    out.collect(o);
  }

  public String topicPrefix() {
    return topicPrefix;
  }
}

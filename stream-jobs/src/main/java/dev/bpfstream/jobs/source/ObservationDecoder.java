package dev.bpfstream.jobs.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.bpfstream.jobs.wire.AvroCursor;
import dev.bpfstream.jobs.wire.InternedStrings;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import dev.bpfstream.schema.WireFormatException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the wire records of several topics into one reused observation. A record that cannot be
 * read is not skipped: it is handed on marked rejected (with its bytes), so the job sends it to the
 * dead-letter topic and counts it ({@code rejectedRecords}). So is an event further ahead of this
 * job's clock than {@code maxAhead} (reason {@code FUTURE: ...}, also counted in {@code futureEvents}):
 * it would carry its partition's watermark forward and make the other hosts' events there late.
 */
public abstract class ObservationDecoder<O extends Observation> implements KafkaRecordDeserializationSchema<O> {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(ObservationDecoder.class);
  /** A host far ahead sends many events: its first ones are logged, then one line per this many. */
  private static final long LOG_EVERY = 1_000;
  private static final VarHandle LITTLE_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final String topicPrefix;
  private final FutureEventLimit future;
  private transient Map<String, Topic> topics;
  private transient O reuse;
  private transient Counter rejected;
  private transient Counter futureEvents;
  private transient long futureHere;
  private transient AvroCursor cursor;
  private transient String lastTopicName;
  private transient Topic lastTopic;
  private boolean shortcuts = true;
  /** Host ids, names, containers, comms, devices of the records read, one instance each. */
  protected transient InternedStrings strings;
  /** The task of the record being read on a shortcut. */
  protected transient TaskFields task;

  /** With the default limit on events ahead of the job's clock ({@link EventTimeSettings#DEFAULT_MAX_AHEAD}). */
  protected ObservationDecoder(String topicPrefix) {
    this(topicPrefix, EventTimeSettings.DEFAULT_MAX_AHEAD);
  }

  /** {@code maxAhead} null: no limit. */
  protected ObservationDecoder(String topicPrefix, Duration maxAhead) {
    this.topicPrefix = topicPrefix;
    this.future = new FutureEventLimit(maxAhead);
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
    futureEvents = context.getMetricGroup().counter("futureEvents");
  }

  private void init() {
    if (topics == null) {
      topics = new HashMap<>();
      for (Topic t : topics()) {
        topics.put(topicPrefix + t.topicName(), t);
      }
      reuse = newObservation();
      cursor = new AvroCursor();
      strings = new InternedStrings(4096);
      task = new TaskFields();
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
    // Records come in runs of one partition, whose topic name is one String instance.
    Topic topic;
    if (record.topic() == lastTopicName) {
      topic = lastTopic;
    } else {
      topic = topics.get(record.topic());
      lastTopicName = record.topic();
      lastTopic = topic;
    }
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
      if (!future.admits(o.timeNs)) {
        rejectFuture(o, record);
      }
    } catch (WireFormatException e) {
      reject(o, e.reason() + ": " + e.getMessage());
    }
    out.collect(o);
  }

  private void rejectFuture(O o, ConsumerRecord<byte[], byte[]> record) {
    String reason = future.reason(o.timeNs, o.hostId);
    reject(o, reason);
    if (futureEvents != null) {
      futureEvents.inc();
    }
    futureHere++;
    if (futureHere <= 10 || futureHere % LOG_EVERY == 0) {
      log.warn("event {}/{}@{} sent to the dead-letter topic ({} so far): {}",
          record.topic(), record.partition(), record.offset(), futureHere, reason);
    }
  }

  private void reject(O o, String reason) {
    o.rejectReason = reason;
    o.timeNs = Observation.NO_TIME;
    if (rejected != null) {
      rejected.inc();
    }
  }

  /**
   * The body of {@code message} when it was written with the schema whose fingerprint is
   * {@code fingerprint} (the layout a decoder's shortcut reads), else null: the full decoder reads
   * it (older and newer writer schemas, and whatever is wrong with the message).
   */
  protected final AvroCursor shortcut(byte[] message, long fingerprint) {
    if (!shortcuts || message == null || message.length < WireCodec.HEADER_BYTES
        || message[0] != (byte) 0xC3 || message[1] != (byte) 0x01
        || (long) LITTLE_ENDIAN_LONG.get(message, 2) != fingerprint) {
      return null;
    }
    return cursor.reset(message, WireCodec.HEADER_BYTES);
  }

  /** The same decoder with every record read by the full decoder (to compare against the shortcuts). */
  public ObservationDecoder<O> withoutShortcuts() {
    shortcuts = false;
    return this;
  }

  public String topicPrefix() {
    return topicPrefix;
  }
}

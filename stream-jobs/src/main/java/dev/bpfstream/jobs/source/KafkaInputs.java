package dev.bpfstream.jobs.source;

import java.util.Arrays;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Kafka sources of a job, from its settings. Each commits the offsets of every completed
 * checkpoint to the job's consumer group ({@link PromptCommitSource}).
 */
public final class KafkaInputs {
  /** How soon a topic or partition created after the job started is read. */
  static final long PARTITION_DISCOVERY_MS = 10_000;

  static final int MAX_PARTITION_FETCH_BYTES = 128 * 1024;

  private final JobSettings s;

  public KafkaInputs(JobSettings settings) {
    this.s = settings;
  }

  public <O extends Observation> PromptCommitSource<O> observations(ObservationDecoder<O> decoder) {
    return observations(decoder.topics(), decoder);
  }

  /** The decoder's topics read through {@code deserializer} (e.g. one that wraps the decoder). */
  public <O extends Observation> PromptCommitSource<O> observations(Topic[] topics, KafkaRecordDeserializationSchema<O> deserializer) {
    // A pattern, not a list: a topic nobody has written yet (no such probe on any host) is not an error.
    Pattern pattern = Pattern.compile(Arrays.stream(topics).map(t -> Pattern.quote(s.topic(t)))
        .collect(Collectors.joining("|")));
    return new PromptCommitSource<>(configure(KafkaSource.<O>builder().setTopicPattern(pattern).setDeserializer(deserializer)).build());
  }

  /** The name of {@code topic} in this deployment (with the topic prefix). */
  public String topicName(Topic topic) {
    return s.topic(topic);
  }

  /** Collector health; an unreadable report, or one too far ahead of the job's clock, comes out as a dead letter. */
  public PromptCommitSource<Decoded<CollectorHealth>> health() {
    return records(Topic.HEALTH, new DeadLetteringDeserializer<>(CollectorHealth.class, new HealthTime(), s.effectiveEventTime().maxAhead()));
  }

  /**
   * The records of one topic; an unreadable one comes out as a dead letter. The topic is subscribed
   * by an exact-name pattern, so a job starts before anyone wrote to it (a probe that never ran) and
   * reads it once it appears.
   */
  public <T extends SpecificRecordBase> PromptCommitSource<Decoded<T>> records(Topic topic, Class<T> type) {
    return records(topic, new DeadLetteringDeserializer<>(type));
  }

  private <T extends SpecificRecordBase> PromptCommitSource<Decoded<T>> records(Topic topic, DeadLetteringDeserializer<T> deserializer) {
    return new PromptCommitSource<>(configure(KafkaSource.<Decoded<T>>builder()
        .setTopicPattern(Pattern.compile(Pattern.quote(s.topic(topic))))
        .setDeserializer(deserializer)).build());
  }

  /**
   * Where a job without a checkpoint starts. A live job continues from its group's committed offsets
   * (the position of its last completed checkpoint), so a restart without {@code --restore-from}
   * neither reads the retained topics again nor skips what came meanwhile; a partition the group has
   * no offset for starts at {@code --start}. A bounded run (a backfill) reads from {@code --start},
   * whatever the group did.
   */
  private OffsetsInitializer startingOffsets() {
    if (s.bounded()) {
      return s.startFromEarliest() ? OffsetsInitializer.earliest() : OffsetsInitializer.latest();
    }
    return OffsetsInitializer.committedOffsets(s.startFromEarliest() ? OffsetResetStrategy.EARLIEST : OffsetResetStrategy.LATEST);
  }

  private <T> KafkaSourceBuilder<T> configure(KafkaSourceBuilder<T> b) {
    b.setBootstrapServers(s.bootstrapServers())
        // Only committed summaries of upstream jobs, never aborted ones.
        .setProperty("isolation.level", "read_committed")
        .setProperty("partition.discovery.interval.ms", String.valueOf(PARTITION_DISCOVERY_MS))
        // Small per-partition fetches, so a consumer catching up visits every partition often and
        // none of them looks idle (and has its events made late) while others are drained.
        .setProperty("max.partition.fetch.bytes", String.valueOf(MAX_PARTITION_FETCH_BYTES))
        .setStartingOffsets(startingOffsets());
    Properties p = new Properties();
    p.putAll(s.kafkaProperties());
    b.setProperties(p);
    // Set last, so that a group.id in a shared client properties file cannot put two jobs in one
    // group: the offsets of each checkpoint are committed to this group, the job's lag is read there.
    b.setGroupId(s.groupId());
    if (s.bounded()) {
      b.setBounded(OffsetsInitializer.latest());
    }
    return b;
  }
}

package dev.bpfstream.jobs;

import java.time.Duration;
import java.util.Map;

import dev.bpfstream.jobs.source.EventTimeSettings;
import dev.bpfstream.schema.Topic;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * What every job is told: where Kafka is, how event time and windows work, how output is committed.
 * The same settings (the same command-line keys) serve a local MiniCluster run and a cluster run.
 */
public record JobSettings(
    String bootstrapServers,
    Map<String, String> kafkaProperties,
    String topicPrefix,
    Duration window,
    Duration rollup,
    EventTimeSettings eventTime,
    Duration checkpointInterval,
    String groupId,
    String transactionalIdPrefix,
    boolean startFromEarliest,
    boolean bounded,
    int parallelism,
    DeliveryGuarantee guarantee) {

  public String topic(Topic t) {
    return topicPrefix + t.topicName();
  }

  /** Event time as this run uses it: bounded runs over a backlog go without idleness. */
  public EventTimeSettings effectiveEventTime() {
    return bounded ? eventTime.withoutIdleness() : eventTime;
  }

  public long windowMs() {
    return window.toMillis();
  }

  public JobSettings withPrefixAndGroup(String prefix, String group, String txPrefix) {
    return new JobSettings(bootstrapServers, kafkaProperties, prefix, window, rollup, eventTime, checkpointInterval,
        group, txPrefix, startFromEarliest, bounded, parallelism, guarantee);
  }

  public JobSettings withBounded(boolean b) {
    return new JobSettings(bootstrapServers, kafkaProperties, topicPrefix, window, rollup, eventTime, checkpointInterval,
        groupId, transactionalIdPrefix, startFromEarliest, b, parallelism, guarantee);
  }

  /** Kafka client settings (security, ...) on top of the bootstrap servers. */
  public JobSettings withKafkaProperties(Map<String, String> p) {
    return new JobSettings(bootstrapServers, Map.copyOf(p), topicPrefix, window, rollup, eventTime, checkpointInterval,
        groupId, transactionalIdPrefix, startFromEarliest, bounded, parallelism, guarantee);
  }

  public JobSettings withWindow(Duration w, Duration r) {
    return new JobSettings(bootstrapServers, kafkaProperties, topicPrefix, w, r, eventTime, checkpointInterval,
        groupId, transactionalIdPrefix, startFromEarliest, bounded, parallelism, guarantee);
  }

  public JobSettings withEventTime(EventTimeSettings e) {
    return new JobSettings(bootstrapServers, kafkaProperties, topicPrefix, window, rollup, e, checkpointInterval,
        groupId, transactionalIdPrefix, startFromEarliest, bounded, parallelism, guarantee);
  }

  public JobSettings withCheckpointInterval(Duration d) {
    return new JobSettings(bootstrapServers, kafkaProperties, topicPrefix, window, rollup, eventTime, d,
        groupId, transactionalIdPrefix, startFromEarliest, bounded, parallelism, guarantee);
  }

  /** Where a job without a checkpoint starts on a partition its group has no offset for, and how its output is committed. */
  public JobSettings withStartAndDelivery(boolean fromEarliest, DeliveryGuarantee g) {
    return new JobSettings(bootstrapServers, kafkaProperties, topicPrefix, window, rollup, eventTime, checkpointInterval,
        groupId, transactionalIdPrefix, fromEarliest, bounded, parallelism, g);
  }

  public JobSettings withParallelism(int p) {
    return new JobSettings(bootstrapServers, kafkaProperties, topicPrefix, window, rollup, eventTime, checkpointInterval,
        groupId, transactionalIdPrefix, startFromEarliest, bounded, p, guarantee);
  }

  /** Defaults for a job reading from {@code bootstrapServers}. */
  public static JobSettings defaults(String bootstrapServers, String name) {
    return new JobSettings(bootstrapServers, Map.of(), "", Duration.ofSeconds(10), Duration.ofMinutes(1),
        EventTimeSettings.DEFAULT, Duration.ofSeconds(1), "bpfstream-" + name, "bpfstream-" + name, true, false, 1,
        DeliveryGuarantee.EXACTLY_ONCE);
  }
}

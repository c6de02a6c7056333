package dev.bpfstream.jobs.alert;

import java.util.Properties;
import java.util.regex.Pattern;

import dev.bpfstream.jobs.wire.WireDeserializationSchema;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Reads topics from Kafka in the wire format. A topic is subscribed by an exact-name pattern so
 * the job starts even when a topic does not exist yet (a probe that never produced) and picks it
 * up when it appears. Unreadable records are skipped and counted ({@code wireRejected}).
 */
public final class KafkaInputs implements AlertInputs {
  private static final long serialVersionUID = 1L;

  private final Properties client;
  private final String topicPrefix;
  private final String groupId;
  private final OffsetsInitializer startingOffsets;

  public KafkaInputs(Properties client, String topicPrefix, String groupId, OffsetsInitializer startingOffsets) {
    this.client = client;
    this.topicPrefix = topicPrefix;
    this.groupId = groupId;
    this.startingOffsets = startingOffsets;
  }

  @Override
  public <T extends SpecificRecordBase> DataStream<T> stream(StreamExecutionEnvironment env, Topic topic, Class<T> type) {
    String name = topicPrefix + topic.topicName();
    Properties p = new Properties();
    p.putAll(client);
    p.putIfAbsent("partition.discovery.interval.ms", "10000");
    KafkaSource<T> source = KafkaSource.<T>builder()
        .setProperties(p)
        .setTopicPattern(Pattern.compile(Pattern.quote(name)))
        .setGroupId(groupId)
        .setStartingOffsets(startingOffsets)
        .setValueOnlyDeserializer(new WireDeserializationSchema<>(type))
        .build();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), name).uid("source-" + topic.topicName());
  }
}

package dev.bpfstream.jobs.alert;

import java.util.Properties;
import java.util.regex.Pattern;

import dev.bpfstream.jobs.source.PromptCommitSource;
import dev.bpfstream.jobs.wire.DeadLetterSplit;
import dev.bpfstream.jobs.wire.DeadLetteringDeserializer;
import dev.bpfstream.jobs.wire.Decoded;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Reads topics from Kafka in the wire format. A topic is subscribed by an exact-name pattern so
 * the job starts even when a topic does not exist yet (a probe that never produced) and picks it
 * up when it appears. Unreadable records come out as dead letters (counted: {@code rejectedRecords}).
 * Every source commits the offsets of each completed checkpoint to the group ({@link PromptCommitSource}).
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
  public <T extends SpecificRecordBase> SingleOutputStreamOperator<T> stream(StreamExecutionEnvironment env, Topic topic, Class<T> type) {
    String name = topicPrefix + topic.topicName();
    Properties p = new Properties();
    p.putAll(client);
    p.putIfAbsent("partition.discovery.interval.ms", "10000");
    // Summaries only once their job committed them: an aborted transaction's copy must not raise an alert.
    p.putIfAbsent("isolation.level", "read_committed");
    KafkaSource<Decoded<T>> source = KafkaSource.<Decoded<T>>builder()
        .setProperties(p)
        .setTopicPattern(Pattern.compile(Pattern.quote(name)))
        .setGroupId(groupId)
        .setStartingOffsets(startingOffsets)
        .setDeserializer(new DeadLetteringDeserializer<>(type))
        .build();
    return env.fromSource(new PromptCommitSource<>(source), WatermarkStrategy.noWatermarks(), name).uid("source-" + topic.topicName())
        .process(new DeadLetterSplit<T>(), new AvroTypeInfo<>(type))
        .uid("readable-" + topic.topicName())
        .name("readable " + topic.topicName());
  }
}

package dev.bpfstream.jobs.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.bpfstream.event.Alert;
import dev.bpfstream.schema.WireCodec;
import dev.bpfstream.schema.WireFormatException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the alerts topic without a consumer group (reading never moves anybody's offsets).
 * Reads committed records only, so an exactly-once job's aborted writes never show. A record that
 * cannot be read is reported through {@code onUnreadable} and counted, never silently skipped.
 */
public final class AlertFeed implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final boolean fromBeginning;
  private final WireCodec<Alert> codec = WireCodec.of(Alert.class);
  private boolean assigned;
  private long unreadable;

  public AlertFeed(Properties client, String topic, boolean fromBeginning) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.fromBeginning = fromBeginning;
  }

  /**
   * Polls once (up to {@code timeout}); passes each readable alert accepted by {@code filter} to
   * {@code sink}. Returns how many it passed on.
   */
  public int poll(Duration timeout, Predicate<Alert> filter, Consumer<Alert> sink, Consumer<String> onUnreadable) {
    if (!assigned && !assign()) {
      sleep(Math.min(timeout.toMillis(), 500));
      return 0;
    }
    int n = 0;
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
      Alert a;
      try {
        a = codec.decode(r.value());
      } catch (WireFormatException e) {
        unreadable++;
        onUnreadable.accept("skipped unreadable record at " + r.topic() + "/" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
        continue;
      }
      if (filter.test(a)) {
        sink.accept(a);
        n++;
      }
    }
    return n;
  }

  public long unreadable() {
    return unreadable;
  }

  private boolean assign() {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
    if (infos == null || infos.isEmpty()) {
      return false;
    }
    List<TopicPartition> parts = new ArrayList<>();
    infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
    consumer.assign(parts);
    if (fromBeginning) {
      consumer.seekToBeginning(parts);
    } else {
      consumer.seekToEnd(parts);
    }
    assigned = true;
    return true;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}

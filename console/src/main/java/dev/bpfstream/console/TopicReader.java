package dev.bpfstream.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the topics the pages need, read_committed, without a consumer group (partitions are
 * assigned; nothing is committed): from {@code retention} ago for the time-ordered topics, from
 * the beginning for the namespace inventory (compacted) and the alerts (an alert may be open for
 * longer than the retention). Topics or partitions that appear later are picked up. Records it
 * cannot read are counted by topic, never fatal.
 */
final class TopicReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopicReader.class);
  static final List<Topic> TOPICS = List.of(Topic.HEALTH, Topic.WORKLOAD, Topic.LATENCY, Topic.PROFILE, Topic.ALERTS, Topic.NS_METADATA);
  private static final Set<Topic> FROM_BEGINNING = Set.of(Topic.ALERTS, Topic.NS_METADATA);
  private static final long REFRESH_MS = 10_000;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String prefix;
  private final ConsoleStore store;
  private final Consumer<String> changed;
  private final Map<String, Topic> byName = new HashMap<>();
  private final Map<Topic, WireDeserializer<? extends SpecificRecord>> decoders = new EnumMap<>(Topic.class);
  private final Map<Topic, AtomicLong> read = new EnumMap<>(Topic.class);
  private final Map<Topic, AtomicLong> unreadable = new EnumMap<>(Topic.class);
  private final Set<TopicPartition> assigned = new HashSet<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile String lastError;

  TopicReader(Map<String, Object> clientProperties, String topicPrefix, ConsoleStore store, Consumer<String> changed) {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "bpfstream-console");
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.prefix = topicPrefix == null ? "" : topicPrefix;
    this.store = store;
    this.changed = changed;
    for (Topic t : TOPICS) {
      byName.put(prefix + t.topicName(), t);
      decoders.put(t, new WireDeserializer<>(t.recordType()));
      read.put(t, new AtomicLong());
      unreadable.put(t, new AtomicLong());
    }
    this.thread = new Thread(this::run, "console-reader");
    this.thread.setDaemon(true);
  }

  TopicReader start() {
    thread.start();
    return this;
  }

  private void run() {
    long nextRefresh = 0;
    try {
      while (running) {
        long now = System.currentTimeMillis();
        if (now >= nextRefresh) {
          assignNewPartitions(now);
          store.evict(now);
          nextRefresh = now + REFRESH_MS;
        }
        if (assigned.isEmpty()) {
          Thread.sleep(500);
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          accept(r);
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      lastError = e.toString();
      log.error("console reader stopped: {}", e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void accept(ConsumerRecord<byte[], byte[]> r) {
    Topic t = byName.get(r.topic());
    if (t == null || r.value() == null) {
      return;
    }
    SpecificRecord rec;
    try {
      rec = decoders.get(t).deserialize(r.topic(), r.value());
    } catch (SerializationException e) {
      if (unreadable.get(t).incrementAndGet() <= 3) {
        log.warn("unreadable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
      }
      return;
    }
    read.get(t).incrementAndGet();
    String what = store.accept(rec);
    if (what != null) {
      changed.accept(what);
    }
  }

  private void assignNewPartitions(long nowMs) {
    List<TopicPartition> fresh = new ArrayList<>();
    try {
      Map<String, List<PartitionInfo>> all = consumer.listTopics(Duration.ofSeconds(5));
      for (String name : byName.keySet()) {
        for (PartitionInfo pi : all.getOrDefault(name, List.of())) {
          TopicPartition tp = new TopicPartition(pi.topic(), pi.partition());
          if (!assigned.contains(tp)) {
            fresh.add(tp);
          }
        }
      }
      lastError = null;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      lastError = "Kafka not reachable yet: " + e.getMessage();
      return;
    }
    if (fresh.isEmpty()) {
      return;
    }
    assigned.addAll(fresh);
    consumer.assign(new ArrayList<>(assigned));
    Map<TopicPartition, Long> byTime = new HashMap<>();
    List<TopicPartition> fromStart = new ArrayList<>();
    long since = nowMs - store.retention().toMillis();
    for (TopicPartition tp : fresh) {
      if (FROM_BEGINNING.contains(byName.get(tp.topic()))) {
        fromStart.add(tp);
      } else {
        byTime.put(tp, since);
      }
    }
    consumer.seekToBeginning(fromStart);
    if (!byTime.isEmpty()) {
      Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(byTime, Duration.ofSeconds(10));
      List<TopicPartition> toEnd = new ArrayList<>();
      offsets.forEach((tp, o) -> {
        if (o == null) {
          toEnd.add(tp);
        } else {
          consumer.seek(tp, o.offset());
        }
      });
      consumer.seekToEnd(toEnd);
    }
    log.info("console reads {} new partitions", fresh.size());
  }

  /** Per topic: records read and unreadable; the reader's last problem, if any. */
  Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Topic t : TOPICS) {
      m.put(prefix + t.topicName(), Map.of("read", read.get(t).get(), "unreadable", unreadable.get(t).get()));
    }
    m.put("lastError", lastError);
    return m;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

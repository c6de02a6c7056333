package dev.bpfstream.standalone;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.generator.FleetGenerator;
import dev.bpfstream.jobs.generator.FleetProfile;
import dev.bpfstream.jobs.generator.Mix;
import dev.bpfstream.jobs.latency.LatencyDecoder;
import dev.bpfstream.jobs.latency.LatencySummaries;
import dev.bpfstream.jobs.workload.WorkloadDecoder;
import dev.bpfstream.jobs.workload.WorkloadSummarizer;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The fixed input of the stack's upgrade test, on the stack's own topic names: 3 hosts, 12 s of
 * every kind of event from 2026-01-01 (1 s windows, the 60 s rollup open throughout), then 2 s of
 * the same fleet two minutes later, which closes every window of the first. {@link Part#FIRST} is
 * what the stack of release {@value #RELEASE} had read when its savepoint was taken; the whole input
 * starts with exactly the same records, at the same offsets.
 */
final class StackFixedInput {
  enum Part { FIRST, WHOLE }

  static final String RELEASE = "87e7067";
  static final Duration WINDOW = Duration.ofSeconds(1);
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 1_767_225_600L * SECOND;
  /** Summaries from here on are the closing fleet's, not the fixed input's. */
  static final long CLOSING_NS = T0 + 120 * SECOND;
  static final String RESOURCES = "/upgrade/" + RELEASE + "/standalone";

  private StackFixedInput() {
  }

  /** Writes the part to the stack's topics (which must exist, empty). */
  static void write(Map<String, Object> client, Part part) {
    Map<String, Object> p = new HashMap<>(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // One batch in flight: records land in the order they were sent, at the same offsets at every run.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      play(producer, new FleetGenerator.Settings(3, Mix.ALL, FleetProfile.standard().withContainers(2).withLostPerInterval(3),
          300, part == Part.WHOLE ? 3_600 : 2_100, false, T0, SECOND, 7, ""));
      if (part == Part.WHOLE) {
        play(producer, new FleetGenerator.Settings(3, Mix.ALL, FleetProfile.standard().withContainers(2), 300, 600, false,
            CLOSING_NS, SECOND, 8, ""));
      }
    }
  }

  private static void play(KafkaProducer<byte[], byte[]> producer, FleetGenerator.Settings s) {
    FleetGenerator.Stats stats = new FleetGenerator(s).run(producer);
    if (stats.failedSends() > 0) {
      throw new IllegalStateException("fixed input: " + stats.failedSends() + " records not written: " + stats.firstError());
    }
  }

  /**
   * The summaries the stack committed to agg.workload and agg.latency for the fixed input's windows,
   * by identity: topic, Kafka key (scope, host, dimension, window size) and window start.
   */
  static List<String> summaries(Map<String, Object> client) {
    List<String> out = new ArrayList<>();
    for (Topic t : List.of(Topic.WORKLOAD, Topic.LATENCY)) {
      Map<String, Object> p = new HashMap<>(client);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      TopicPartition tp = new TopicPartition(t.topicName(), 0);
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        long end = c.endOffsets(List.of(tp)).get(tp);
        while (c.position(tp) < end) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
            if (t == Topic.WORKLOAD) {
              WorkloadSummary s = WireCodec.of(WorkloadSummary.class).decode(r.value());
              if (s.getWindowStartNs() < CLOSING_NS) {
                out.add(t.topicName() + " " + WorkloadSummarizer.key(s) + "@" + s.getWindowStartNs());
              }
            } else {
              LatencySummary s = WireCodec.of(LatencySummary.class).decode(r.value());
              if (s.getWindowStartNs() < CLOSING_NS) {
                out.add(t.topicName() + " " + LatencySummaries.key(s) + "@" + s.getWindowStartNs());
              }
            }
          }
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Waits until the workload and latency parts have committed (a checkpoint after) every record of their inputs. */
  static void awaitCaughtUp(Map<String, Object> client) throws Exception {
    Map<String, List<Topic>> groups = Map.of(
        "bpfstream-workload", withHealth(new WorkloadDecoder("").topics()),
        "bpfstream-latency", withHealth(new LatencyDecoder("").topics()));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    try (Admin admin = Admin.create(client)) {
      while (true) {
        List<String> behind = new ArrayList<>();
        for (Map.Entry<String, List<Topic>> g : groups.entrySet()) {
          Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
          g.getValue().forEach(t -> ends.put(new TopicPartition(t.topicName(), 0), OffsetSpec.latest()));
          Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(g.getKey()).partitionsToOffsetAndMetadata().get();
          admin.listOffsets(ends).all().get().forEach((tp, r) -> {
            OffsetAndMetadata c = committed.get(tp);
            if (r.offset() > 0 && (c == null || c.offset() < r.offset())) {
              behind.add(g.getKey() + " " + tp + " " + (c == null ? "-" : c.offset()) + "/" + r.offset());
            }
          });
        }
        if (behind.isEmpty()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the stack did not read its input in 3 minutes: " + behind);
        }
        Thread.sleep(300);
      }
    }
  }

  private static List<Topic> withHealth(Topic[] topics) {
    List<Topic> l = new ArrayList<>(List.of(topics));
    l.add(Topic.HEALTH);
    return l;
  }

  static List<String> resourceLines(String name) throws Exception {
    try (var in = StackFixedInput.class.getResourceAsStream(RESOURCES + "/" + name)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + RESOURCES + "/" + name + " missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  static void writeLines(Path file, List<String> lines) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}

package dev.bpfstream.standalone;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import dev.bpfstream.schema.WireFormatException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The terminal view of `up`: reads the summary, alert and health topics and, once per window, draws
 * the top workloads, latency percentiles, current alerts and collector health ({@link
 * LatestSummaries}) on its {@link Screen}: redrawn in place on a terminal, like top; appended when
 * piped. With {@code json}, every summary is printed as one JSON line as it arrives instead.
 */
final class LiveView implements AutoCloseable {
  private static final List<Topic> TOPICS = List.of(Topic.WORKLOAD, Topic.LATENCY, Topic.ALERTS, Topic.HEALTH);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final PrintStream out;
  private final Screen screen;
  private final boolean json;
  private final Duration window;
  private final String header;
  private final Map<Topic, WireCodec<? extends SpecificRecord>> codecs = new HashMap<>();
  private final LatestSummaries latest;
  private final Thread thread;
  private volatile boolean running = true;
  private long rejected;

  /** @param out where JSON lines go; frames go to {@code screen} */
  LiveView(Map<String, Object> clientProperties, PrintStream out, Screen screen, boolean json, Duration window, String header) {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bpfstream-view-" + UUID.randomUUID());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = TOPICS.stream().map(t -> new TopicPartition(t.topicName(), 0)).toList();
    consumer.assign(parts);
    consumer.seekToEnd(parts); // live: what happens from now on
    parts.forEach(consumer::position);
    this.out = out;
    this.screen = screen;
    this.json = json;
    this.window = window;
    this.header = header;
    this.latest = new LatestSummaries(window.toNanos());
    for (Topic t : TOPICS) {
      codecs.put(t, WireCodec.of(t.recordType()));
    }
    this.thread = new Thread(this::run, "live-view");
    this.thread.setDaemon(true);
  }

  LiveView start() {
    thread.start();
    return this;
  }

  private void run() {
    long nextRender = System.nanoTime() + window.toNanos();
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          accept(Topic.byName(r.topic()), r.value());
        }
        if (!json && System.nanoTime() >= nextRender) {
          screen.draw(latest.frame(header, Instant.now(), screen.rows()));
          nextRender = System.nanoTime() + window.toNanos();
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void accept(Topic topic, byte[] value) {
    SpecificRecord r;
    try {
      r = codecs.get(topic).decode(value);
    } catch (WireFormatException e) {
      rejected++;
      return;
    }
    if (json) {
      out.println("{\"topic\": \"" + topic.topicName() + "\", \"record\": " + r + "}");
      out.flush();
      return;
    }
    latest.accept(r);
  }

  long rejected() {
    return rejected;
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
    screen.close();
  }
}

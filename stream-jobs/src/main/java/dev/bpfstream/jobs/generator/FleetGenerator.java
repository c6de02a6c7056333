package dev.bpfstream.jobs.generator;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Plays N synthetic hosts into Kafka: per-task events in the chosen mix at a target rate (hosts in
 * turn, event time advancing by 1/rate per event), and once per interval each host's kernel
 * histograms and collector health. In live mode event time is the wall clock and sending is paced
 * to the rate; otherwise event time starts at {@code startNs} and records go out as fast as Kafka
 * takes them (a backlog for throughput runs).
 */
public final class FleetGenerator {
  public record Settings(int hosts, Mix mix, FleetProfile profile, double ratePerSecond, long events, boolean live,
                         long startNs, long intervalNs, long seed, String topicPrefix) {
  }

  /** @param failedSends records Kafka refused (each send's callback), with the first error; 0 and null when all arrived */
  /** Counts what Kafka refused, so a generated count is never silently short. */
  private static final class SendFailures implements org.apache.kafka.clients.producer.Callback {
    final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
    volatile String first;

    @Override
    public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception e) {
      if (e != null && count.getAndIncrement() == 0) {
        first = e.toString();
      }
    }
  }

  private final SendFailures failures = new SendFailures();
  private volatile boolean stopped;

  public record Stats(long events, long intervalRecords, long elapsedNs, Map<Topic, Long> perTopic, long failedSends, String firstError) {
    public double eventsPerSecond() {
      return events / (elapsedNs / 1e9);
    }
  }

  private final Settings s;
  private final SyntheticHost[] hosts;
  private final byte[][] keys;
  private final Map<Topic, WireCodec<SpecificRecord>> codecs = new EnumMap<>(Topic.class);
  private final Map<Topic, String> topicNames = new EnumMap<>(Topic.class);

  public FleetGenerator(Settings settings) {
    this.s = settings;
    hosts = new SyntheticHost[settings.hosts()];
    keys = new byte[settings.hosts()][];
    long started = settings.live() ? System.currentTimeMillis() * 1_000_000L : settings.startNs();
    for (int i = 0; i < hosts.length; i++) {
      hosts[i] = new SyntheticHost(i, settings.profile(), settings.seed(), started);
      keys[i] = hosts[i].hostId().getBytes(StandardCharsets.UTF_8);
    }
    for (Topic t : Topic.values()) {
      topicNames.put(t, settings.topicPrefix() + t.topicName());
    }
  }

  @SuppressWarnings("unchecked")
  private WireCodec<SpecificRecord> codec(Topic t) {
    return codecs.computeIfAbsent(t, k -> (WireCodec<SpecificRecord>) WireCodec.of(k.recordType()));
  }

  public Stats run(Producer<byte[], byte[]> producer) {
    Topic[] table = s.mix().table();
    SplittableRandom random = new SplittableRandom(s.seed());
    Map<Topic, Long> perTopic = new EnumMap<>(Topic.class);
    long[] counts = new long[Topic.values().length];
    double nsPerEvent = 1e9 / s.ratePerSecond();
    long wallStart = System.nanoTime();
    long epochStart = s.live() ? System.currentTimeMillis() * 1_000_000L : s.startNs();
    long nextInterval = (epochStart / s.intervalNs() + 1) * s.intervalNs();
    long intervalRecords = 0;
    long i = 0;
    for (; i < s.events() && !stopped; i++) {
      long offsetNs = (long) (i * nsPerEvent);
      if (s.live() && (i & 255) == 0) {
        long ahead = offsetNs - (System.nanoTime() - wallStart);
        if (ahead > 0) {
          LockSupport.parkNanos(ahead);
        }
      }
      long timeNs = epochStart + offsetNs;
      while (timeNs >= nextInterval) {
        intervalRecords += intervals(producer, nextInterval - s.intervalNs(), nextInterval, perTopic);
        nextInterval += s.intervalNs();
      }
      int h = (int) (i % hosts.length);
      Topic topic = table[random.nextInt(100)];
      SpecificRecord r = hosts[h].event(topic, timeNs);
      producer.send(new ProducerRecord<>(topicNames.get(topic), keys[h], codec(topic).encode(r)), failures);
      counts[topic.ordinal()]++;
    }
    producer.flush();
    for (Topic t : Topic.values()) {
      if (counts[t.ordinal()] > 0) {
        perTopic.merge(t, counts[t.ordinal()], Long::sum);
      }
    }
    return new Stats(i, intervalRecords, System.nanoTime() - wallStart, perTopic, failures.count.get(), failures.first);
  }

  /** Ends a run before its last event (from another thread); its stats count what was sent. */
  public void stop() {
    stopped = true;
  }

  private long intervals(Producer<byte[], byte[]> producer, long startNs, long endNs, Map<Topic, Long> perTopic) {
    long n = 0;
    for (int h = 0; h < hosts.length; h++) {
      List<SpecificRecord> records = hosts[h].interval(startNs, endNs);
      for (SpecificRecord r : records) {
        Topic t = Topic.forType(r.getClass());
        producer.send(new ProducerRecord<>(topicNames.get(t), keys[h], codec(t).encode(r)), failures);
        perTopic.merge(t, 1L, Long::sum);
        n++;
      }
    }
    return n;
  }
}

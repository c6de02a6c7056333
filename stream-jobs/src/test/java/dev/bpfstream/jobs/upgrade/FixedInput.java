package dev.bpfstream.jobs.upgrade;

import static dev.bpfstream.jobs.testing.Records.SECOND;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import dev.bpfstream.schema.TopicLeaders;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.generator.FleetGenerator;
import dev.bpfstream.jobs.generator.FleetProfile;
import dev.bpfstream.jobs.generator.Mix;
import dev.bpfstream.jobs.source.EventTimeSettings;
import dev.bpfstream.jobs.testing.Records;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The fixed generated input of the upgrade (savepoint) and golden tests: the same records, in the
 * same order, at the same offsets, at every run. Small: 3 hosts, 12 one-second windows of event time
 * from {@link Records#T0}, then a sentinel on every input that closes every window.
 *
 * <p>{@link Part#FIRST} is what a job of the previous release had read when its savepoint was taken
 * (the first 7 s: windows and a rollup still open); {@link Part#WHOLE} starts with exactly the same
 * records (the generator is deterministic and only stops earlier), so a job restored from that
 * savepoint continues at the savepoint's offsets in the whole input.
 *
 * <p>The topic names (prefix {@code fixed.<job>.}) are recorded in the savepoints: do not change them.
 */
public final class FixedInput {
  public enum Part { FIRST, WHOLE }

  /** The jobs whose savepoints and golden summaries are kept as test resources. */
  public enum Job {
    WORKLOAD("workload", Mix.WORKLOAD), LATENCY("latency", Mix.LATENCY), ALERTS("alerts", null);

    public final String id;
    final Mix mix;

    Job(String id, Mix mix) {
      this.id = id;
      this.mix = mix;
    }

    public String prefix() {
      return "fixed." + id + ".";
    }
  }

  static final long T0 = Records.T0;
  static final int HOSTS = 3;
  static final double EVENTS_PER_SECOND = 300;
  static final long EVENTS = 3_600;
  static final long FIRST_PART_EVENTS = 2_100;
  static final Duration WINDOW = Duration.ofSeconds(1);
  static final Duration ROLLUP = Duration.ofSeconds(4);
  /** After the data (12 s), aligned to the rollup: summaries from here on are the sentinels', not the fleet's. */
  public static final long SENTINEL_NS = T0 + 20 * SECOND;

  private FixedInput() {
  }

  /**
   * The settings of every run over the fixed input (savepoint, golden, restore): 1 s windows, 4 s
   * rollup, no idleness (every input has data all the time, and a sentinel at the end), so that
   * what is late and what closes when never depends on the machine's speed.
   */
  public static JobSettings settings(String bootstrapServers, Job job, String runId) {
    return JobSettings.defaults(bootstrapServers, job.id)
        .withPrefixAndGroup(job.prefix(), "upgrade-" + job.id + "-" + runId, "upgrade-" + job.id + "-" + runId)
        .withWindow(WINDOW, ROLLUP)
        .withEventTime(new EventTimeSettings(Duration.ofMillis(300), null))
        .withCheckpointInterval(Duration.ofMillis(300));
  }

  /** Deletes the job's input topics if they exist, creates them (one partition each) and writes {@code part}. */
  public static Written write(Map<String, Object> client, Job job, Part part) throws Exception {
    List<String> topics = Arrays.stream(Topic.values()).map(t -> job.prefix() + t.topicName()).toList();
    try (Admin admin = Admin.create(client)) {
      Set<String> existing = admin.listTopics().names().get();
      List<String> old = topics.stream().filter(existing::contains).toList();
      if (!old.isEmpty()) {
        admin.deleteTopics(old).all().get();
        awaitGone(admin, old);
      }
      admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
      TopicLeaders.await(admin, topics, 30_000);
    }
    Map<String, Object> p = new HashMap<>(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // One batch in flight: records land in the order they were sent, so offsets are the same at every run.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
      Written w = job == Job.ALERTS ? alerts(new Sender(producer, job.prefix(), new HashMap<>(), failed), part)
          : fleet(producer, job, part, failed);
      producer.flush();
      if (failed.get() != null) {
        throw new IllegalStateException("fixed input: a record was not written: " + failed.get(), failed.get());
      }
      return w;
    }
  }

  /** What was written: records per topic (without the prefix). */
  public record Written(Map<Topic, Long> perTopic) {
    /** Records of the job's event topics (not collector.health): what its pre-aggregation counts as observations. */
    public long observations(Topic[] eventTopics) {
      return Arrays.stream(eventTopics).mapToLong(t -> perTopic.getOrDefault(t, 0L)).sum();
    }
  }

  private static Written fleet(KafkaProducer<byte[], byte[]> producer, Job job, Part part,
                               java.util.concurrent.atomic.AtomicReference<Exception> failed) {
    FleetGenerator generator = new FleetGenerator(new FleetGenerator.Settings(HOSTS, job.mix,
        FleetProfile.standard().withContainers(2).withLostPerInterval(3), EVENTS_PER_SECOND,
        part == Part.WHOLE ? EVENTS : FIRST_PART_EVENTS, false, T0, SECOND, 7, job.prefix()));
    FleetGenerator.Stats stats = generator.run(producer);
    if (stats.failedSends() > 0) {
      throw new IllegalStateException("fixed input: " + stats.failedSends() + " records not written: " + stats.firstError());
    }
    Map<Topic, Long> perTopic = new HashMap<>(stats.perTopic());
    if (part == Part.WHOLE) {
      Sender s = new Sender(producer, job.prefix(), perTopic, failed);
      String host = "zz-sentinel";
      long ns = SENTINEL_NS;
      if (job == Job.WORKLOAD) {
        s.send(host, Records.exec(host, ns, 1, "true", 0, null));
        s.send(host, Records.exit(host, ns, 1, "true", 1_000));
        s.send(host, Records.open(host, ns, 1, "true", 0, 0));
        s.send(host, Records.profile(host, ns, ns + 1, 1, "true", 1, "true;main"));
      } else {
        s.send(host, Records.blockHist(host, ns, ns + 1, "sda", Records.log2(0, 1)));
        s.send(host, Records.runqHist(host, ns, ns + 1, Records.log2(0, 1)));
      }
      s.send(host, Records.fileSlow(host, ns, 1, "true", 20_000_000L));
      s.send(host, Records.blockIo(host, ns, 1, "true", "sda", BlockOp.READ, 4096));
      s.send(host, Records.tcp(host, ns, 1, "true", TcpEventType.CONNECT, "10.9.9.9"));
      s.send(host, Records.health(host, ns, ns - SECOND, 0));
    }
    return new Written(perTopic);
  }

  /**
   * The alerts job's input (built-in rules, 60 s summary windows so that no quiet timeout of the
   * job's clock can pass during a run). The first part opens alerts and builds up state that only
   * the second part completes: an open block I/O alert that resolves, a sustained run-queue
   * condition two windows into three, an exec-rate baseline, 150 of the 200 short-lived exits of
   * a burst, a namespace's owner for a later setns, an open user-namespace alert.
   */
  private static Written alerts(Sender s, Part part) {
    long w = 60 * SECOND;
    long t0 = T0;
    long ms = 1_000_000L;
    for (int i = 0; i < 3; i++) {
      s.send("a", dev.bpfstream.jobs.alert.Records.latency(LatencyKind.BLOCK_IO, "a", "vda", t0 + i * w, w, 80 * ms));
    }
    for (int i = 0; i < 2; i++) {
      s.send("a", dev.bpfstream.jobs.alert.Records.latency(LatencyKind.RUNQ, "a", "all", t0 + i * w, w, 12 * ms));
    }
    for (int i = 0; i < 6; i++) {
      s.send("a", dev.bpfstream.jobs.alert.Records.workload(Scope.CONTAINER, "a", "c1", t0 + i * w, w, Map.of("exec_per_s", 2.0)));
    }
    s.send("a", dev.bpfstream.jobs.alert.Records.exec("a", null, 1000, "/tmp/x", 0755, 1000, 01777, t0));
    s.send("a", dev.bpfstream.jobs.alert.Records.exec("a", null, 1000, "/usr/bin/ls", 0755, 0, 0755, t0 + 100 * ms));
    for (int i = 0; i < 150; i++) {
      s.send("a", dev.bpfstream.jobs.alert.Records.exit("a", "c9", "true", 5 * ms, t0 + i * 30 * ms));
    }
    s.send("a", dev.bpfstream.jobs.alert.Records.namespace("a", NamespaceKind.NET, 100L, "web", t0));
    s.send("a", dev.bpfstream.jobs.alert.Records.userNs("a", 4026532001L, 0, 1000, false, t0));
    s.send("a", dev.bpfstream.jobs.alert.Records.health("a", t0, 600 * SECOND));
    if (part == Part.WHOLE) {
      for (int i = 3; i < 5; i++) {
        s.send("a", dev.bpfstream.jobs.alert.Records.latency(LatencyKind.BLOCK_IO, "a", "vda", t0 + i * w, w, 30 * ms));
      }
      s.send("a", dev.bpfstream.jobs.alert.Records.latency(LatencyKind.RUNQ, "a", "all", t0 + 2 * w, w, 12 * ms));
      s.send("a", dev.bpfstream.jobs.alert.Records.workload(Scope.CONTAINER, "a", "c1", t0 + 6 * w, w, Map.of("exec_per_s", 30.0)));
      s.send("a", dev.bpfstream.jobs.alert.Records.exec("a", null, 1000, "/tmp/x", 0755, 1000, 01777, t0 + 200 * ms));
      for (int i = 150; i < 210; i++) {
        s.send("a", dev.bpfstream.jobs.alert.Records.exit("a", "c9", "true", 5 * ms, t0 + i * 30 * ms));
      }
      s.send("a", dev.bpfstream.jobs.alert.Records.setns("a", null, NamespaceKind.NET, dev.bpfstream.jobs.alert.Records.HOST_NET, 100L, 0, t0 + SECOND));
      s.send("a", dev.bpfstream.jobs.alert.Records.userNs("a", 4026532001L, 0, 1000, true, t0 + 5 * SECOND));
      s.send("a", dev.bpfstream.jobs.alert.Records.health("a", t0 + 600 * SECOND, 600 * SECOND));
    }
    return new Written(s.perTopic());
  }

  private record Sender(KafkaProducer<byte[], byte[]> producer, String prefix, Map<Topic, Long> perTopic,
                        java.util.concurrent.atomic.AtomicReference<Exception> failed) {
    @SuppressWarnings("unchecked")
    void send(String key, SpecificRecord r) {
      Topic t = Topic.forType(r.getClass());
      WireCodec<SpecificRecord> codec = (WireCodec<SpecificRecord>) (WireCodec<?>) WireCodec.of((Class<SpecificRecord>) r.getClass());
      producer.send(new ProducerRecord<>(prefix + t.topicName(), key.getBytes(java.nio.charset.StandardCharsets.UTF_8), codec.encode(r)),
          (m, e) -> {
            if (e != null) {
              failed.compareAndSet(null, e);
            }
          });
      perTopic.merge(t, 1L, Long::sum);
    }
  }

  private static void awaitGone(Admin admin, List<String> topics) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        admin.describeTopics(topics).allTopicNames().get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          Set<String> left = new java.util.HashSet<>(admin.listTopics().names().get());
          left.retainAll(topics);
          if (left.isEmpty()) {
            return;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("topics " + topics + " still there 30 s after their deletion");
  }
}

package dev.bpfstream.jobs;

import static dev.bpfstream.jobs.testing.Records.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.generator.FleetGenerator;
import dev.bpfstream.jobs.generator.FleetProfile;
import dev.bpfstream.jobs.generator.Mix;
import dev.bpfstream.jobs.source.EventTimeSettings;
import dev.bpfstream.jobs.testing.FlinkCluster;
import dev.bpfstream.jobs.testing.KafkaIO;
import dev.bpfstream.jobs.testing.Records;
import dev.bpfstream.jobs.sink.KafkaOutputs;
import dev.bpfstream.jobs.source.KafkaInputs;
import dev.bpfstream.jobs.workload.WorkloadDecoder;
import dev.bpfstream.jobs.workload.WorkloadJob;
import dev.bpfstream.jobs.workload.WorkloadSummarizer;
import dev.bpfstream.schema.Topic;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workload job (the most state: window merges, rollup, baselines) loses its whole cluster
 * mid-stream while the fleet generator is still writing; a new cluster takes over from the newest
 * retained checkpoint, and the committed output is compared with a run that was never disturbed:
 * every summary exactly once. A cancel and restore on one cluster is the second case.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ExactlyOnceFailoverTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.extension();

  @Test
  void aNewClusterTakingOverFromTheNewestCheckpointWritesEverySummaryExactlyOnce(TestBroker broker, @TempDir Path checkpoints) throws Exception {
    String prefix = "x" + UUID.randomUUID().toString().substring(0, 8) + ".";
    JobSettings base = JobSettings.defaults(broker.bootstrapServers(), "failover")
        .withPrefixAndGroup(prefix, "g1-" + prefix, "tx1-" + prefix)
        .withWindow(Duration.ofSeconds(1), Duration.ofSeconds(2))
        // No idleness: on a loaded machine a partition not fetched for longer than the idle timeout
        // would have its events made late in one run and not in the other, whatever the restore did.
        // The generator writes every input topic all the time, and a sentinel ends each one below.
        .withEventTime(new EventTimeSettings(Duration.ofMillis(300), null))
        .withCheckpointInterval(Duration.ofMillis(300));
    String summaries = base.topic(Topic.WORKLOAD);

    // Topics exist before anything starts, as in a deployment: a topic created after the first job
    // started would only be found by its periodic partition discovery, and the runs would differ.
    try (KafkaIO setup = new KafkaIO(broker)) {
      setup.createTopics(Arrays.stream(Topic.values()).map(base::topic).toList());
    }

    // Live fleet: event time is the wall clock, 5,000 events/s for 10 s from 3 hosts; no losses so
    // that loss attribution cannot depend on timing.
    FleetGenerator generator = new FleetGenerator(new FleetGenerator.Settings(3, Mix.WORKLOAD,
        FleetProfile.standard().withContainers(2), 5_000, 50_000, true, 0, SECOND, 7, prefix));
    Map<String, Object> pp = new HashMap<>(broker.clientProperties());
    pp.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer());
    CompletableFuture<FleetGenerator.Stats> playing = CompletableFuture.supplyAsync(() -> generator.run(producer));

    Configuration retained = new Configuration();
    retained.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    retained.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    MiniCluster firstCluster = newCluster();
    MiniCluster secondCluster = null;
    try (KafkaIO io = new KafkaIO(broker)) {
      JobClient first = startOn(firstCluster, base, retained, "failover-first");
      List<WorkloadSummary> before = io.readCommitted(summaries, WorkloadSummary.class, l -> l.size() >= 5, Duration.ofSeconds(60));
      assertThat(before).as(() -> "first run committed output; job " + status(first)).hasSizeGreaterThanOrEqualTo(5);
      // The whole cluster goes, JobManager and TaskManager, with the job running: nothing is
      // cancelled, the open Kafka transactions stay open. Mid-stream whatever the machine's speed:
      // the last windows cannot close before the future events below, sent only after this.
      long closing = System.nanoTime();
      firstCluster.close();
      long closedMs = (System.nanoTime() - closing) / 1_000_000;
      RetainedCheckpoints.Retained newest = RetainedCheckpoints.newest(checkpoints.toUri().toString())
          .orElseThrow(() -> new AssertionError("no completed checkpoint under " + checkpoints));

      Configuration restore = new Configuration(retained);
      restore.set(StateRecoveryOptions.SAVEPOINT_PATH, newest.path().toString());
      long starting = System.nanoTime();
      secondCluster = newCluster();
      JobClient second = startOn(secondCluster, base, restore, "failover-restored");
      long startedMs = (System.nanoTime() - starting) / 1_000_000;
      try {
        playing.get();
        producer.close();
        // A future event on every input moves the watermark past every window of the fleet's data
        // (2 minutes ahead of the clock: within --max-ahead, or the jobs would dead-letter it).
        long sentinelNs = WorkloadRuns.sendSentinels(io, base, 2 * SECOND);

        JobSettings undisturbed = base.withPrefixAndGroup(prefix, "g0-" + prefix, "tx0-" + prefix).withBounded(true);
        // The undisturbed run: the same job reading the same input, writing to a topic of its own.
        String undisturbedTopic = prefix + "undisturbed." + Topic.WORKLOAD.topicName();
        KafkaInputs in = new KafkaInputs(undisturbed);
        KafkaOutputs out = new KafkaOutputs(undisturbed.bootstrapServers(), Map.of(), undisturbed.guarantee());
        StreamExecutionEnvironment env0 = JobEnvironment.create(undisturbed, new Configuration());
        new WorkloadJob(undisturbed, in.observations(new WorkloadDecoder(prefix)), in.health(),
            out.sink(undisturbedTopic, WorkloadSummary.class, WorkloadSummarizer::key, "tx0-" + prefix + "-summaries"),
            out.deadLetters(prefix + "undisturbed." + Topic.DEAD_LETTER.topicName(), "tx0-" + prefix + "-dlq"))
            .build(env0);
        env0.execute("failover-undisturbed");
        List<WorkloadSummary> expected = io.readCommitted(undisturbedTopic,
            WorkloadSummary.class, l -> false, Duration.ofSeconds(5)).stream()
            .filter(s -> s.getWindowStartNs() < sentinelNs).collect(Collectors.toList());
        assertThat(expected).hasSizeGreaterThan(30);
        assertThat(before).as("first run stopped before its output was complete").hasSizeLessThan(expected.size());

        List<WorkloadSummary> got = io.readCommitted(summaries, WorkloadSummary.class,
            l -> l.stream().filter(s -> s.getWindowStartNs() < sentinelNs).count() >= expected.size(), Duration.ofSeconds(90));
        // Let a few more checkpoints commit, so a duplicate would have had time to show up.
        Thread.sleep(2_000);
        got = io.readCommitted(summaries, WorkloadSummary.class, l -> false, Duration.ofSeconds(5)).stream()
            .filter(s -> s.getWindowStartNs() < sentinelNs).collect(Collectors.toList());

        Map<String, Long> perKey = got.stream().collect(Collectors.groupingBy(ExactlyOnceFailoverTest::identity, Collectors.counting()));
        assertThat(perKey).as("summaries written more than once").allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
        Map<String, WorkloadSummary> byKey = got.stream().collect(Collectors.toMap(ExactlyOnceFailoverTest::identity, Function.identity()));
        Map<String, WorkloadSummary> expectedByKey = expected.stream()
            .collect(Collectors.toMap(ExactlyOnceFailoverTest::identity, Function.identity()));
        assertThat(byKey.keySet()).isEqualTo(expectedByKey.keySet());
        expectedByKey.forEach((k, e) -> assertThat(byKey.get(k)).as(() -> k + ": " + difference(e, byKey.get(k))).isEqualTo(e));
        FleetGenerator.Stats played = playing.get();
        System.out.printf("RELIABILITY cluster-restart: %d events from 3 hosts at %.0f/s, first cluster closed (%d ms) after %d "
                + "summaries were committed, new cluster started and job submitted from %s in %d ms, %d summaries compared%n",
            played.events(), played.eventsPerSecond(), closedMs, before.size(), newest.path().getName(), startedMs, expected.size());
      } finally {
        second.cancel().get();
      }
    } finally {
      firstCluster.close();
      if (secondCluster != null) {
        secondCluster.close();
      }
    }
  }

  /**
   * After a restore Flink starts every operator at watermark MIN and the windows that fired before the
   * checkpoint are gone from state. Data read after the restore for one of those windows (here: from
   * a topic created while the job was down, read from its start) must be late, as it would have been
   * had the job never stopped, not open the window a second time.
   */
  @Test
  void aWindowClosedBeforeTheCheckpointIsNotReopenedAfterTheRestore(TestBroker broker, @TempDir Path checkpoints) throws Exception {
    String prefix = "r" + UUID.randomUUID().toString().substring(0, 8) + ".";
    JobSettings s = JobSettings.defaults(broker.bootstrapServers(), "reopen")
        .withPrefixAndGroup(prefix, "g-" + prefix, "tx-" + prefix)
        .withWindow(Duration.ofSeconds(1), Duration.ofSeconds(1))
        .withEventTime(new EventTimeSettings(Duration.ZERO, Duration.ofSeconds(1)))
        .withCheckpointInterval(Duration.ofMillis(200));
    long t0 = Records.T0;
    try (KafkaIO io = new KafkaIO(broker)) {
      io.createTopics(List.of(s.topic(Topic.EXEC), s.topic(Topic.HEALTH), s.topic(Topic.WORKLOAD), s.topic(Topic.DEAD_LETTER)));
      for (long at : new long[] {500, 1_500, 2_500, 3_500, 5_500}) {
        io.send(s.topic(Topic.EXEC), "h1", Records.exec("h1", t0 + at * 1_000_000L, 10, "sh", 0, null));
      }
      io.flush();

      Configuration retained = new Configuration();
      retained.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
      retained.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
      JobClient first = start(s, retained, "reopen-first");
      // Committed output means a completed checkpoint taken after windows 0..4 fired.
      io.readCommitted(s.topic(Topic.WORKLOAD), WorkloadSummary.class,
          l -> hostWindows(l, t0).containsAll(List.of(0L, 1L, 2L, 3L)), Duration.ofSeconds(60));
      first.cancel().get();
      Path checkpoint = newestCheckpoint(checkpoints);

      // While the job is down a new probe's topic appears, holding an event of closed window 1 and
      // one of window 5, still open.
      io.createTopics(List.of(s.topic(Topic.OPEN)));
      io.send(s.topic(Topic.OPEN), "h1", Records.open("h1", t0 + 1_600_000_000L, 11, "cat", 0, 0));
      io.send(s.topic(Topic.OPEN), "h1", Records.open("h1", t0 + 5_600_000_000L, 11, "cat", 0, 0));
      io.flush();

      Configuration restore = new Configuration(retained);
      restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toString());
      JobClient second = start(s, restore, "reopen-restored");
      try {
        List<DeadLetter> late = io.readCommitted(s.topic(Topic.DEAD_LETTER), DeadLetter.class, l -> !l.isEmpty(), Duration.ofSeconds(60));
        assertThat(late).singleElement().satisfies(d -> {
          assertThat(d.getSourceTopic()).isEqualTo(s.topic(Topic.OPEN));
          assertThat(d.getReason()).startsWith("LATE");
        });
        // Window 5 is still open after the restore: closing it shows the new topic's on-time event merged.
        io.send(s.topic(Topic.EXEC), "h1", Records.exec("h1", t0 + 8_000_000_000L, 10, "sh", 0, null));
        io.flush();
        List<WorkloadSummary> all = io.readCommitted(s.topic(Topic.WORKLOAD), WorkloadSummary.class,
            l -> hostWindows(l, t0).contains(5L), Duration.ofSeconds(60));
        Thread.sleep(1_000);
        all = io.readCommitted(s.topic(Topic.WORKLOAD), WorkloadSummary.class, l -> false, Duration.ofSeconds(3));

        Map<String, Long> perKey = all.stream().collect(Collectors.groupingBy(ExactlyOnceFailoverTest::identity, Collectors.counting()));
        assertThat(perKey).as("summaries written more than once").allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
        WorkloadSummary window1 = hostWindow(all, t0, 1);
        WorkloadSummary window5 = hostWindow(all, t0, 5);
        assertThat(window1.getEventCount()).as("window 1: its exec only; the open read after the restore was late").isEqualTo(1L);
        assertThat(window5.getEventCount()).as("window 5: its exec and the new topic's open").isEqualTo(2L);
      } finally {
        second.cancel().get();
      }
    }
  }

  private static List<Long> hostWindows(List<WorkloadSummary> l, long t0) {
    return l.stream().filter(w -> w.getScope() == dev.bpfstream.event.Scope.HOST)
        .map(w -> (w.getWindowStartNs() - t0) / SECOND).toList();
  }

  private static WorkloadSummary hostWindow(List<WorkloadSummary> l, long t0, long window) {
    return l.stream().filter(w -> w.getScope() == dev.bpfstream.event.Scope.HOST && w.getWindowStartNs() == t0 + window * SECOND)
        .findFirst().orElseThrow(() -> new AssertionError("no HOST summary of window " + window + " in " + l.size() + " summaries"));
  }

  /** What differs between two summaries of one window, field by field, short enough to read in a CI log. */
  static String difference(WorkloadSummary expected, WorkloadSummary got) {
    List<String> out = new java.util.ArrayList<>();
    for (org.apache.avro.Schema.Field f : expected.getSchema().getFields()) {
      Object e = expected.get(f.pos());
      Object g = got.get(f.pos());
      if (e instanceof Map<?, ?> em && g instanceof Map<?, ?> gm) {
        java.util.Set<Object> keys = new java.util.TreeSet<>(Comparator.comparing(Object::toString));
        keys.addAll(em.keySet());
        keys.addAll(gm.keySet());
        for (Object key : keys) {
          if (!java.util.Objects.equals(em.get(key), gm.get(key))) {
            out.add(f.name() + "." + key + " expected " + em.get(key) + " got " + gm.get(key));
          }
        }
      } else if (!java.util.Objects.equals(e, g)) {
        out.add(f.name() + " expected " + e + " got " + g);
      }
    }
    return String.join("; ", out);
  }

  static String identity(WorkloadSummary s) {
    return WorkloadSummarizer.key(s) + "@" + s.getWindowStartNs();
  }

  static JobClient start(JobSettings s, Configuration extra, String name) throws Exception {
    StreamExecutionEnvironment env = JobEnvironment.create(s, extra);
    WorkloadJob.fromKafka(s).build(env);
    return env.executeAsync(name);
  }

  /** A cluster of its own: JobManager and TaskManager on loopback, like the test extension's. */
  static MiniCluster newCluster() throws Exception {
    MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(LocalFlink.loopbackConfiguration()).setNumTaskManagers(1).setNumSlotsPerTaskManager(4).build());
    cluster.start();
    return cluster;
  }

  static JobClient startOn(MiniCluster cluster, JobSettings s, Configuration extra, String name) throws Exception {
    Configuration c = JobEnvironment.configuration(s);
    c.addAll(extra);
    StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, c, s.parallelism(), List.of(), List.of());
    WorkloadJob.fromKafka(s).build(env);
    return env.executeAsync(name);
  }

  private static String status(JobClient job) {
    try {
      return job.getJobStatus().get(10, TimeUnit.SECONDS).toString();
    } catch (Exception e) {
      return "status unknown (" + e + ")";
    }
  }

  static Path newestCheckpoint(Path root) throws IOException {
    return RetainedCheckpoints.newest(root.toUri().toString())
        .map(r -> Path.of(r.path().toUri()))
        .orElseThrow(() -> new AssertionError("no completed checkpoint under " + root));
  }

}

package dev.bpfstream.jobs;

import static dev.bpfstream.jobs.testing.Records.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.generator.FleetGenerator;
import dev.bpfstream.jobs.generator.Mix;
import dev.bpfstream.jobs.source.EventTimeSettings;
import dev.bpfstream.jobs.testing.FlinkCluster;
import dev.bpfstream.jobs.testing.KafkaIO;
import dev.bpfstream.jobs.testing.SourceFault;
import dev.bpfstream.schema.Topic;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task of the running workload job fails mid-stream (its Kafka source's deserializer throws, once,
 * in the task thread); Flink restarts the job from its last checkpoint by the configured fixed-delay
 * restart strategy, and the committed output equals a run nothing disturbed, record by record:
 * no summary twice, none missing, none different.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TaskFailureRecoveryTest {
  static final InMemoryReporter METRICS = InMemoryReporter.create();

  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.extension(METRICS);

  @Test
  void aTaskFailingMidStreamIsRestartedFromTheCheckpointAndWritesEverySummaryExactlyOnce(TestBroker broker) throws Exception {
    String prefix = "f" + UUID.randomUUID().toString().substring(0, 8) + ".";
    JobSettings s = JobSettings.defaults(broker.bootstrapServers(), "task-failure")
        .withPrefixAndGroup(prefix, "g1-" + prefix, "tx1-" + prefix)
        .withWindow(Duration.ofSeconds(1), Duration.ofSeconds(2))
        // No idleness: a stall longer than the idle timeout on a loaded machine would make events late
        // in this run and not in the undisturbed one; every input is written all along and ends with a sentinel.
        .withEventTime(new EventTimeSettings(Duration.ofMillis(300), null))
        .withCheckpointInterval(Duration.ofMillis(300));
    WorkloadRuns.createTopics(broker, s);
    SourceFault.reset();

    // 3 hosts, 4,000 events/s for 15 s, event time = wall clock.
    CompletableFuture<FleetGenerator.Stats> playing = WorkloadRuns.playLive(broker, prefix, Mix.WORKLOAD, 3, 4_000, 60_000);
    Configuration restarts = new Configuration();
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    JobClient job = WorkloadRuns.start(s, restarts, "task-failure");
    try (KafkaIO io = new KafkaIO(broker)) {
      // Mid-stream: after checkpoints have committed output, while the fleet is still playing.
      List<WorkloadSummary> before = io.readCommitted(s.topic(Topic.WORKLOAD), WorkloadSummary.class, l -> !l.isEmpty(), Duration.ofSeconds(60));
      assertThat(before).as("output committed before the fault").isNotEmpty();
      SourceFault.armAfter(500);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (SourceFault.thrown() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(SourceFault.thrown()).as("the injected fault was thrown in the task").isEqualTo(1);
      assertThat(playing).as("the fleet was still playing when the task failed").isNotDone();

      FleetGenerator.Stats played = playing.get();
      long sentinelNs = WorkloadRuns.sendSentinels(io, s, 2 * SECOND);
      List<WorkloadSummary> expected = WorkloadRuns.undisturbed(io, s, sentinelNs);
      assertThat(expected).hasSizeGreaterThan(30);

      io.readCommitted(s.topic(Topic.WORKLOAD), WorkloadSummary.class,
          l -> l.stream().filter(w -> w.getWindowStartNs() < sentinelNs).count() >= expected.size(), Duration.ofSeconds(90));
      // A few more checkpoints, so that a duplicate would have had time to show.
      Thread.sleep(2_000);
      List<WorkloadSummary> got = io.readCommitted(s.topic(Topic.WORKLOAD), WorkloadSummary.class, l -> false, Duration.ofSeconds(5))
          .stream().filter(w -> w.getWindowStartNs() < sentinelNs).toList();

      Map<String, Long> perKey = got.stream().collect(Collectors.groupingBy(WorkloadRuns::identity, Collectors.counting()));
      assertThat(perKey).as("summaries written more than once").allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
      Map<String, WorkloadSummary> byKey = got.stream().collect(Collectors.toMap(WorkloadRuns::identity, Function.identity()));
      Map<String, WorkloadSummary> expectedByKey = expected.stream().collect(Collectors.toMap(WorkloadRuns::identity, Function.identity()));
      assertThat(byKey.keySet()).isEqualTo(expectedByKey.keySet());
      expectedByKey.forEach((k, e) -> assertThat(byKey.get(k)).as(k).isEqualTo(e));

      // Flink saw the failure and restarted the job once; nothing was dropped on the way.
      assertThat(restarts(job)).as("numRestarts").isEqualTo(1L);
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      List<DeadLetter> dead = io.readCommitted(s.topic(Topic.DEAD_LETTER), DeadLetter.class, l -> false, Duration.ofSeconds(2));
      assertThat(dead).as("dead letters").isEmpty();

      long restartMs = (SourceFault.firstReadAfterFaultNanos() - SourceFault.thrownAtNanos()) / 1_000_000;
      System.out.printf("RELIABILITY task-failure: %d events from 3 hosts at %.0f/s, fault after %d records read, "
              + "restart (fault -> first record read again) %d ms, %d summaries compared, restarts %d%n",
          played.events(), played.eventsPerSecond(), SourceFault.thrownAtRecord(), restartMs, expected.size(), restarts(job));
    } finally {
      job.cancel().get();
    }
  }

  private static long restarts(JobClient job) {
    for (Map.Entry<MetricGroup, Map<String, Metric>> g : METRICS.getMetricsByGroup().entrySet()) {
      if (job.getJobID().toString().equals(g.getKey().getAllVariables().get("<job_id>"))
          && g.getValue().get("numRestarts") instanceof Gauge<?> restarts) {
        return ((Number) restarts.getValue()).longValue();
      }
    }
    throw new AssertionError("no numRestarts metric for job " + job.getJobID());
  }
}

package dev.bpfstream.jobs;

import static dev.bpfstream.jobs.testing.Records.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.generator.FleetGenerator;
import dev.bpfstream.jobs.generator.Mix;
import dev.bpfstream.jobs.source.EventTimeSettings;
import dev.bpfstream.jobs.testing.FlinkCluster;
import dev.bpfstream.jobs.testing.KafkaIO;
import dev.bpfstream.jobs.testing.SourceFault;
import dev.bpfstream.jobs.workload.WorkloadDecoder;
import dev.bpfstream.schema.Topic;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow consumer in its extreme form: the workload job is stopped (cancelled, its checkpoint
 * retained) while the fleet goes on producing, then restored from the checkpoint. It must catch up
 * with the backlog, and afterwards the summaries must cover every window of the run for every host,
 * and every event the fleet generated must be accounted for: in a host summary's eventCount, or
 * dead-lettered as late (the late-data policy: stream-jobs/README.md). The fleet plays per-task
 * events without profile samples ({@link Mix#TASK_EVENTS}): a sample counts as CPU samples, not as an event.
 *
 * <p>The soak variant stops the job for minutes at a higher rate:
 * {@code mvn -B -pl stream-jobs -am verify -Dtest=CatchUpAfterStopTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbpfstream.soak=true [-Dbpfstream.soak.stopSeconds=180] [-Dbpfstream.soak.rate=20000]}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CatchUpAfterStopTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.extension();

  static final int HOSTS = 3;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aJobStoppedWhileTheFleetPlaysCatchesUpAndAccountsForEveryEvent(TestBroker broker, @TempDir Path checkpoints) throws Exception {
    run(broker, checkpoints, "catch-up", 4_000, Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(5));
  }

  @Test
  @EnabledIfSystemProperty(named = "bpfstream.soak", matches = "true")
  @Timeout(value = 40, unit = TimeUnit.MINUTES)
  void soakStoppedForMinutes(TestBroker broker, @TempDir Path checkpoints) throws Exception {
    run(broker, checkpoints, "catch-up-soak", Long.getLong("bpfstream.soak.rate", 20_000),
        Duration.ofSeconds(10), Duration.ofSeconds(Long.getLong("bpfstream.soak.stopSeconds", 180)), Duration.ofSeconds(20));
  }

  private void run(TestBroker broker, Path checkpoints, String name, double rate, Duration before, Duration stopped, Duration after)
      throws Exception {
    String prefix = "c" + UUID.randomUUID().toString().substring(0, 8) + ".";
    JobSettings s = JobSettings.defaults(broker.bootstrapServers(), name)
        .withPrefixAndGroup(prefix, "g-" + prefix, "tx-" + prefix)
        .withWindow(Duration.ofSeconds(1), Duration.ofSeconds(1))
        .withEventTime(new EventTimeSettings(Duration.ofMillis(300), Duration.ofSeconds(5)))
        .withCheckpointInterval(Duration.ofMillis(300));
    WorkloadRuns.createTopics(broker, s);
    SourceFault.reset();

    long seconds = before.plus(stopped).plus(after).toSeconds();
    // Room to play on: a loaded machine may take a while before the first job commits; the fleet is
    // stopped once the restored job has caught up and played along for `after`.
    long events = (long) (rate * (seconds + 120));
    long playStart = System.nanoTime();
    FleetGenerator[] fleet = new FleetGenerator[1];
    CompletableFuture<FleetGenerator.Stats> playing = WorkloadRuns.playLive(broker, prefix, Mix.TASK_EVENTS, HOSTS, rate, events, fleet);

    Configuration retained = new Configuration();
    retained.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    retained.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    JobClient first = WorkloadRuns.start(s, retained, name + "-first");
    try (KafkaIO io = new KafkaIO(broker); Admin admin = Admin.create(broker.clientProperties())) {
      io.readCommitted(s.topic(Topic.WORKLOAD), WorkloadSummary.class, l -> l.size() >= 5, Duration.ofSeconds(60));
      sleepUntil(playStart + before.toNanos());
      first.cancel().get();
      Path checkpoint = ExactlyOnceFailoverTest.newestCheckpoint(checkpoints);
      Thread.sleep(stopped.toMillis());

      long backlog = lag(admin, s);
      assertThat(playing).as("the fleet plays on while the job is down").isNotDone();
      SourceFault.reset();
      Configuration restore = new Configuration(retained);
      restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toString());
      long restartAt = System.nanoTime();
      JobClient second = WorkloadRuns.start(s, restore, name + "-restored");
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + backlog / 5_000);
        while (SourceFault.read() < backlog && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        long caughtUpAt = System.nanoTime();
        assertThat(SourceFault.read()).as("records read since the restore").isGreaterThanOrEqualTo(backlog);

        Thread.sleep(after.toMillis());
        fleet[0].stop();
        FleetGenerator.Stats played = playing.get();
        assertThat(played.failedSends()).as("records Kafka refused: %s", played.firstError()).isZero();
        long sentinelNs = WorkloadRuns.sendSentinels(io, s, SECOND);
        Set<String> eventTopics = Arrays.stream(new WorkloadDecoder(prefix).topics()).map(s::topic).collect(Collectors.toSet());

        // Every generated event is in a host summary or was dead-lettered as late; wait for the last windows to close.
        long[] counted = new long[2];
        List<WorkloadSummary> hostWindows = List.of();
        List<DeadLetter> dead = List.of();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
          hostWindows = io.readCommitted(s.topic(Topic.WORKLOAD), WorkloadSummary.class, l -> false, Duration.ofSeconds(2)).stream()
              .filter(w -> w.getScope() == Scope.HOST && w.getWindowStartNs() < sentinelNs).toList();
          dead = io.readCommitted(s.topic(Topic.DEAD_LETTER), DeadLetter.class, l -> false, Duration.ofSeconds(1));
          counted[0] = hostWindows.stream().mapToLong(WorkloadSummary::getEventCount).sum();
          counted[1] = dead.stream().filter(d -> d.getReason().startsWith("LATE") && eventTopics.contains(d.getSourceTopic())).count();
          if (counted[0] + counted[1] >= played.events()) {
            break;
          }
        }
        assertThat(dead).as("dead letters other than late events").allSatisfy(d -> assertThat(d.getReason()).startsWith("LATE"));
        assertThat(counted[0] + counted[1]).as("host summaries' eventCount (%d) + late events (%d) = generated events",
            counted[0], counted[1]).isEqualTo(played.events());

        Map<String, Long> perKey = hostWindows.stream().collect(Collectors.groupingBy(WorkloadRuns::identity, Collectors.counting()));
        assertThat(perKey).as("host summaries written more than once").allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
        Map<String, TreeSet<Long>> windows = hostWindows.stream().collect(Collectors.groupingBy(WorkloadSummary::getHostId,
            Collectors.mapping(WorkloadSummary::getWindowStartNs, Collectors.toCollection(TreeSet::new))));
        assertThat(windows).as("hosts with summaries").hasSize(HOSTS);
        windows.forEach((host, starts) -> {
          long span = (starts.last() - starts.first()) / SECOND + 1;
          assertThat((long) starts.size()).as(host + ": one summary per window, no window missing").isEqualTo(span);
          assertThat(span).as(host + ": windows covered").isGreaterThanOrEqualTo(seconds - 1);
        });

        long firstRead = SourceFault.firstReadNanos();
        double catchUpS = (caughtUpAt - firstRead) / 1e9;
        System.out.printf("RELIABILITY %s: job stopped %d s while %d hosts played at %.0f/s; backlog %d events; "
                + "restore (submit -> first record read) %d ms; backlog read in %.1f s = %.0f events/s (the fleet still playing); "
                + "generated %d = %d in host summaries + %d late; %d windows per host%n",
            name, stopped.toSeconds(), HOSTS, played.eventsPerSecond(), backlog, (firstRead - restartAt) / 1_000_000,
            catchUpS, backlog / catchUpS, played.events(), counted[0], counted[1], windows.values().iterator().next().size());
      } finally {
        second.cancel().get();
      }
    } finally {
      fleet[0].stop();
    }
  }

  /** Events in the job's input topics that its consumer group has not committed yet. */
  private static long lag(Admin admin, JobSettings s) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(s.groupId())
        .partitionsToOffsetAndMetadata().get();
    Set<String> topics = Arrays.stream(new WorkloadDecoder(s.topicPrefix()).topics()).map(s::topic).collect(Collectors.toSet());
    Map<TopicPartition, OffsetSpec> ends = admin.describeTopics(topics).allTopicNames().get().values().stream()
        .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
    long lag = 0;
    for (var e : admin.listOffsets(ends).all().get().entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      lag += e.getValue().offset() - (c == null ? 0 : c.offset());
    }
    return lag;
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long ms = (nanoTime - System.nanoTime()) / 1_000_000;
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }
}

package dev.bpfstream.jobs;

import static dev.bpfstream.jobs.testing.Records.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.source.EventTimeSettings;
import dev.bpfstream.jobs.testing.FlinkCluster;
import dev.bpfstream.jobs.testing.KafkaIO;
import dev.bpfstream.jobs.testing.Records;
import dev.bpfstream.jobs.workload.WorkloadJob;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two hosts share one partition; one of them has a clock two hours ahead and sends an event. That
 * event goes to the dead-letter topic (FUTURE) instead of carrying the partition's watermark two
 * hours forward, so the other host's following events still count in their windows instead of
 * all being dead-lettered as LATE.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HostClockAheadTest {
  static final InMemoryReporter METRICS = InMemoryReporter.create();

  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.extension(METRICS);

  @Test
  void anEventFromAHostTwoHoursAheadIsDeadLetteredAndTheOtherHostsEventsInItsPartitionStillCount(TestBroker broker) throws Exception {
    String prefix = "k" + UUID.randomUUID().toString().substring(0, 8) + ".";
    JobSettings s = JobSettings.defaults(broker.bootstrapServers(), "clock-ahead")
        .withPrefixAndGroup(prefix, "g-" + prefix, "tx-" + prefix)
        .withWindow(Duration.ofSeconds(1), Duration.ofSeconds(1))
        // The default limit (5 min). Idleness closes nothing here (one busy partition); 3 s as in LatencyJobTest.
        .withEventTime(new EventTimeSettings(Duration.ofMillis(200), Duration.ofSeconds(3)))
        .withCheckpointInterval(Duration.ofMillis(300));
    String exec = s.topic(Topic.EXEC);
    // The data is just behind the wall clock, as from a live fleet: window w is [base + w s, base + w + 1 s).
    long nowNs = System.currentTimeMillis() * 1_000_000L;
    long base = (nowNs / SECOND - 30) * SECOND;
    byte[] ahead = WireCodec.of(ProcessExec.class).encode(Records.exec("skewed", nowNs + 7200 * SECOND, 66, "cron", 0, null));

    try (KafkaIO io = new KafkaIO(broker)) {
      io.createTopics(List.of(exec, s.topic(Topic.HEALTH), s.topic(Topic.WORKLOAD), s.topic(Topic.DEAD_LETTER)));
      // One partition, both hosts: steady's window 0, then skewed's event two hours ahead.
      io.send(exec, 0, "steady", Records.exec("steady", base + 100_000_000L, 10, "sh", 0, null));
      io.send(exec, 0, "steady", Records.exec("steady", base + 200_000_000L, 10, "sh", 0, null));
      io.sendRaw(exec, "skewed", ahead);
      io.flush();

      StreamExecutionEnvironment env = JobEnvironment.create(s, new Configuration());
      WorkloadJob.fromKafka(s).build(env);
      JobClient job = env.executeAsync("clock-ahead");
      try {
        // The job has read the event ahead (its dead letter is committed) before steady goes on;
        // without the limit the watermark would be two hours ahead by now.
        List<DeadLetter> future = io.readCommitted(s.topic(Topic.DEAD_LETTER), DeadLetter.class, l -> !l.isEmpty(), Duration.ofSeconds(30));

        // steady's following events: 3 in window 1, 1 in window 2, and one in window 5 that closes both.
        for (long ms : new long[] {1_100, 1_200, 1_300, 2_500, 5_000}) {
          io.send(exec, 0, "steady", Records.exec("steady", base + ms * 1_000_000L, 10, "sh", 0, null));
        }
        io.flush();
        List<WorkloadSummary> out = io.readCommitted(s.topic(Topic.WORKLOAD), WorkloadSummary.class,
            l -> hostWindow(l, base + 2 * SECOND) != null, Duration.ofSeconds(30));

        assertThat(hostWindow(out, base)).as("window 0 of steady").isNotNull()
            .satisfies(w -> assertThat(w.getEventCount()).isEqualTo(2));
        assertThat(hostWindow(out, base + SECOND)).as("window 1 of steady, after the event ahead").isNotNull()
            .satisfies(w -> assertThat(w.getEventCount()).isEqualTo(3));
        assertThat(hostWindow(out, base + 2 * SECOND)).as("window 2 of steady").isNotNull()
            .satisfies(w -> assertThat(w.getEventCount()).isEqualTo(1));
        assertThat(out).as("no summary holds the event ahead").noneMatch(w -> "skewed".equals(w.getHostId()))
            .allSatisfy(w -> assertThat(w.getWindowStartNs()).isLessThan(nowNs));

        List<DeadLetter> dead = io.readCommitted(s.topic(Topic.DEAD_LETTER), DeadLetter.class, l -> false, Duration.ofSeconds(2));
        assertThat(dead).as("the event ahead, and nothing of steady's (no LATE)").singleElement().satisfies(d -> {
          assertThat(d.getReason()).startsWith("FUTURE: event time 7").contains("s ahead of this job's clock (host skewed)");
          assertThat(d.getSourceTopic()).isEqualTo(exec);
          assertThat(d.getPartition()).isZero();
          assertThat(d.getOffset()).isEqualTo(2);
          assertThat(d.getValue()).isEqualTo(java.nio.ByteBuffer.wrap(ahead));
        });
        assertThat(future).hasSize(1);
        assertThat(counter(job, "futureEvents")).as("futureEvents of the event source").isEqualTo(1);
      } finally {
        job.cancel().get();
      }
    }
  }

  private static WorkloadSummary hostWindow(List<WorkloadSummary> l, long startNs) {
    return l.stream().filter(w -> w.getScope() == Scope.HOST && "steady".equals(w.getHostId()) && w.getWindowStartNs() == startNs)
        .findFirst().orElse(null);
  }

  /** The sum of a counter over the job's operators (the health source registers one too, at 0 here). */
  private static long counter(JobClient job, String name) {
    long sum = 0;
    boolean found = false;
    for (Map.Entry<MetricGroup, Map<String, Metric>> g : METRICS.getMetricsByGroup().entrySet()) {
      if (job.getJobID().toString().equals(g.getKey().getAllVariables().get("<job_id>"))
          && g.getValue().get(name) instanceof Counter c) {
        sum += c.getCount();
        found = true;
      }
    }
    assertThat(found).as("a %s metric of job %s", name, job.getJobID()).isTrue();
    return sum;
  }
}

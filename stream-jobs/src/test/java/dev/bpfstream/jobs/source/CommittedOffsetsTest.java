package dev.bpfstream.jobs.source;

import static dev.bpfstream.jobs.testing.Records.SECOND;
import static dev.bpfstream.jobs.testing.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.jobs.JobEnvironment;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.testing.FlinkCluster;
import dev.bpfstream.jobs.testing.KafkaIO;
import dev.bpfstream.jobs.testing.Records;
import dev.bpfstream.jobs.workload.WorkloadJob;
import dev.bpfstream.jobs.window.PreAggregateOperator;
import dev.bpfstream.schema.Topic;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A running job commits the offsets of each completed checkpoint to its consumer group, so its lag
 * shows in the standard Kafka tooling (kafka-consumer-groups --describe, lag exporters), and a
 * commit the broker refuses is counted and logged while the job goes on.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CommittedOffsetsTest {
  static final InMemoryReporter METRICS = InMemoryReporter.create();

  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.extension(METRICS);

  /**
   * Well below the 10 s the connector's fetch waits for records: what the commit of a checkpoint
   * waited for, on an idle input, before {@link PromptCommitSource}. The job needs one checkpoint.
   */
  static final Duration PROMPTLY = Duration.ofSeconds(7);

  static final Duration LONG = Duration.ofSeconds(60);

  @Test
  void theGroupsLagFallsToZeroAtTheCheckpointAfterTheJobReadABurst(TestBroker broker) throws Exception {
    JobSettings s = settings(broker);
    TopicPartition exec = new TopicPartition(s.topic(Topic.EXEC), 0);
    try (KafkaIO io = new KafkaIO(broker); Admin admin = Admin.create(broker.clientProperties())) {
      io.createTopics(Arrays.stream(Topic.values()).map(s::topic).toList());
      send(io, s, 0, 20);
      JobClient job = start(s);
      try {
        assertThat(awaitCommitted(admin, s.groupId(), exec, 20, LONG)).as("committed offset of %s", exec).isEqualTo(20);
        // The group is listed where kafka-consumer-groups --list and lag exporters look for groups,
        // and described as --describe shows it: no members (Flink assigns the partitions itself).
        assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get())
            .extracting(GroupListing::groupId).contains(s.groupId());
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(s.groupId())).all().get().get(s.groupId());
        assertThat(group.groupState()).isEqualTo(GroupState.EMPTY);
        assertThat(group.members()).isEmpty();

        // A burst on the input, idle since the job read the first one.
        long sent = System.nanoTime();
        send(io, s, 20, 5);
        long committed = awaitCommitted(admin, s.groupId(), exec, 25, PROMPTLY);
        Duration took = Duration.ofNanos(System.nanoTime() - sent);
        assertThat(committed).as("committed offset of %s %s after the burst", exec, took).isEqualTo(25);
        assertThat(endOffset(admin, exec) - committed).as("lag of %s", exec).isZero();
        assertThat(counter(job.getJobID(), "commitsFailed")).isZero();
      } finally {
        job.cancel().get();
      }
    }
  }

  @Test
  void aCommitTheBrokerRefusesIsCountedAndTheJobGoesOn(TestBroker broker) throws Exception {
    JobSettings s = settings(broker);
    TopicPartition exec = new TopicPartition(s.topic(Topic.EXEC), 0);
    try (KafkaIO io = new KafkaIO(broker); Admin admin = Admin.create(broker.clientProperties());
         KafkaConsumer<byte[], byte[]> member = memberOf(broker, s.groupId(), s.topic(Topic.HEALTH))) {
      io.createTopics(Arrays.stream(Topic.values()).map(s::topic).toList());
      // A consumer that joined the job's group (a console consumer started with the job's group id):
      // while it is a member, the broker refuses commits from consumers outside the membership.
      joinGroup(member);
      send(io, s, 0, 10);
      JobClient job = start(s);
      try {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (counter(job.getJobID(), "commitsFailed") == 0 && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(counter(job.getJobID(), "commitsFailed")).as("commitsFailed").isPositive();
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        assertThat(committed(admin, s.groupId(), exec)).as("nothing committed while refused").isEqualTo(-1);

        member.close();
        assertThat(awaitCommitted(admin, s.groupId(), exec, 10, LONG)).as("committed once the member left").isEqualTo(10);
        assertThat(counter(job.getJobID(), "commitsSucceeded")).isPositive();
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      } finally {
        job.cancel().get();
      }
    }
  }

  @Test
  void aJobStartedWithoutACheckpointContinuesFromItsGroupsOffsets(TestBroker broker) throws Exception {
    JobSettings s = settings(broker);
    TopicPartition exec = new TopicPartition(s.topic(Topic.EXEC), 0);
    try (KafkaIO io = new KafkaIO(broker); Admin admin = Admin.create(broker.clientProperties())) {
      io.createTopics(Arrays.stream(Topic.values()).map(s::topic).toList());
      send(io, s, 0, 20);
      JobClient first = start(s);
      try {
        assertThat(awaitCommitted(admin, s.groupId(), exec, 20, LONG)).isEqualTo(20);
      } finally {
        first.cancel().get();
      }
      send(io, s, 20, 5);

      // No --restore-from: the same group, a new job.
      JobClient second = start(s);
      try {
        assertThat(awaitCommitted(admin, s.groupId(), exec, 25, LONG)).isEqualTo(25);
        // Accumulators of a running job arrive with the TaskManager's heartbeats.
        Object read = null;
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!(read instanceof Long n && n >= 5) && System.nanoTime() < deadline) {
          Thread.sleep(200);
          read = second.getAccumulators().get(10, TimeUnit.SECONDS).get(PreAggregateOperator.OBSERVATIONS);
        }
        assertThat(read).as("records the second job read: only those written after the first job's last commit").isEqualTo(5L);
      } finally {
        second.cancel().get();
      }
    }
  }

  private static JobSettings settings(TestBroker broker) {
    String prefix = "co" + UUID.randomUUID().toString().substring(0, 8) + ".";
    return JobSettings.defaults(broker.bootstrapServers(), "workload")
        .withPrefixAndGroup(prefix, "g-" + prefix, "tx-" + prefix)
        .withCheckpointInterval(Duration.ofMillis(300));
  }

  private static JobClient start(JobSettings s) throws Exception {
    StreamExecutionEnvironment env = JobEnvironment.create(s, new Configuration());
    WorkloadJob.fromKafka(s).build(env);
    return env.executeAsync("committed-offsets");
  }

  private static void send(KafkaIO io, JobSettings s, int first, int n) {
    for (int i = first; i < first + n; i++) {
      io.send(s.topic(Topic.EXEC), "host-a", Records.exec("host-a", T0 + i * SECOND / 10, 10 + i, "make", 0, null));
    }
    io.flush();
  }

  /** The group's committed offset of {@code tp} once it reaches {@code target}, or as it is at the deadline (-1: none). */
  private static long awaitCommitted(Admin admin, String group, TopicPartition tp, long target, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long committed = committed(admin, group, tp);
    while (committed < target && System.nanoTime() < deadline) {
      Thread.sleep(100);
      committed = committed(admin, group, tp);
    }
    return committed;
  }

  private static long committed(Admin admin, String group, TopicPartition tp) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    OffsetAndMetadata o = offsets.get(tp);
    return o == null ? -1 : o.offset();
  }

  private static long endOffset(Admin admin, TopicPartition tp) throws Exception {
    return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
  }

  private static KafkaConsumer<byte[], byte[]> memberOf(TestBroker broker, String group, String topic) {
    Map<String, Object> p = new HashMap<>(broker.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    c.subscribe(List.of(topic));
    return c;
  }

  /** Polls until the group has given the member its partitions; its heartbeats keep it in the group after. */
  private static void joinGroup(KafkaConsumer<byte[], byte[]> member) {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
      member.poll(Duration.ofMillis(100));
    }
    assertThat(member.assignment()).as("the member's partitions").isNotEmpty();
  }

  /** The sum of the job's counters called {@code name} (the Kafka source readers' commit counters). */
  private static long counter(JobID job, String name) {
    long sum = 0;
    for (Map.Entry<MetricGroup, Map<String, Metric>> g : METRICS.getMetricsByGroup().entrySet()) {
      if (job.toString().equals(g.getKey().getAllVariables().get("<job_id>")) && g.getValue().get(name) instanceof Counter c) {
        sum += c.getCount();
      }
    }
    return sum;
  }
}

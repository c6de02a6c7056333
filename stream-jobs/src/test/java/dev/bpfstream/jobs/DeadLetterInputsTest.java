package dev.bpfstream.jobs;

import static dev.bpfstream.jobs.testing.Records.SECOND;
import static dev.bpfstream.jobs.testing.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.alert.AlertFeed;
import dev.bpfstream.jobs.alert.AlertJob;
import dev.bpfstream.jobs.alert.rule.RulesParser;
import dev.bpfstream.jobs.latency.LatencyJob;
import dev.bpfstream.jobs.source.EventTimeSettings;
import dev.bpfstream.jobs.testing.FlinkCluster;
import dev.bpfstream.jobs.testing.KafkaIO;
import dev.bpfstream.jobs.testing.Poison;
import dev.bpfstream.jobs.testing.Records;
import dev.bpfstream.jobs.workload.WorkloadJob;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecord;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Poison on every input topic of every job: before one good record on each topic, three broken
 * copies of it (wrong magic byte, unknown schema fingerprint, truncated body). Each broken one must
 * reach the dead-letter topic with its bytes and a reason naming what is wrong, be counted in the
 * {@code rejectedRecords} metric of the source that read it, and the job must go on: the good
 * record behind the poison still counts.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DeadLetterInputsTest {
  static final InMemoryReporter METRICS = InMemoryReporter.create();

  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.extension(METRICS);

  static final String HOST = "h1";
  static final long MS = 1_000_000L;

  @Test
  void workloadJobDeadLettersPoisonOnEachEventTopicAndOnCollectorHealth(TestBroker broker) throws Exception {
    JobSettings s = settings(broker, "poison-workload");
    Map<Topic, SpecificRecord> good = new LinkedHashMap<>();
    good.put(Topic.EXEC, Records.exec(HOST, T0 + 100 * MS, 10, "sh", 0, null));
    good.put(Topic.EXIT, Records.exit(HOST, T0 + 110 * MS, 10, "sh", 5 * MS));
    good.put(Topic.OPEN, Records.open(HOST, T0 + 120 * MS, 10, "cat", 0, 0));
    good.put(Topic.FILE_SLOW, Records.fileSlow(HOST, T0 + 130 * MS, 10, "db", 20 * MS));
    good.put(Topic.BLOCK_IO, Records.blockIo(HOST, T0 + 140 * MS, 10, "dd", "vda", BlockOp.READ, 4096));
    good.put(Topic.TCP, Records.tcp(HOST, T0 + 150 * MS, 10, "curl", TcpEventType.CONNECT, "10.0.0.1"));
    good.put(Topic.PROFILE, Records.profile(HOST, T0 + 150 * MS, T0 + 160 * MS, 10, "sh", 3, "sh;main"));
    good.put(Topic.HEALTH, Records.health(HOST, T0 + 500 * MS, T0, 5));

    try (KafkaIO io = new KafkaIO(broker)) {
      List<Poison> sent = sendPoisonThenGood(io, s, good);
      StreamExecutionEnvironment env = JobEnvironment.create(s, new Configuration());
      WorkloadJob.fromKafka(s).build(env);
      JobClient job = env.executeAsync("poison-workload");
      try {
        List<DeadLetter> dead = io.readCommitted(s.topic(Topic.DEAD_LETTER), DeadLetter.class,
            l -> l.size() >= sent.size(), Duration.ofSeconds(60));
        assertDeadLetters(dead, s::topic, good.keySet());
        // The good records behind the poison: one event of each topic in window 0 (the profile sample counts
        // as CPU samples, not as an event), and the health report's loss.
        io.send(s.topic(Topic.EXEC), HOST, Records.exec(HOST, T0 + 3 * SECOND, 10, "sh", 0, null));
        io.flush();
        List<WorkloadSummary> out = io.readCommitted(s.topic(Topic.WORKLOAD), WorkloadSummary.class,
            l -> l.stream().anyMatch(w -> isHostWindow0(w)), Duration.ofSeconds(60));
        WorkloadSummary w0 = out.stream().filter(DeadLetterInputsTest::isHostWindow0).findFirst().orElseThrow();
        assertThat(w0.getEventCount()).as("the 6 good task events behind the poison").isEqualTo(6L);
        assertThat(w0.getFigures()).as("the good profile sample behind the poison").containsEntry("cpu_samples", 3.0);
        assertThat(w0.getLostEvents()).as("the good health report behind the poison").isEqualTo(5L);

        assertThat(counter(job.getJobID(), "workload-events")).as("event source rejectedRecords").isEqualTo(21);
        assertThat(counter(job.getJobID(), "pre-aggregate")).as("pre-aggregate rejectedRecords").isEqualTo(21);
        assertThat(counter(job.getJobID(), "workload-health")).as("health source rejectedRecords").isEqualTo(3);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      } finally {
        job.cancel().get();
      }
    }
  }

  private static boolean isHostWindow0(WorkloadSummary w) {
    return w.getScope() == Scope.HOST && w.getWindowStartNs() == T0 && w.getWindowSizeNs() == SECOND;
  }

  @Test
  void latencyJobDeadLettersPoisonOnEachEventTopicAndOnCollectorHealth(TestBroker broker) throws Exception {
    JobSettings s = settings(broker, "poison-latency");
    Map<Topic, SpecificRecord> good = new LinkedHashMap<>();
    good.put(Topic.BLOCK_IO, Records.blockIo(HOST, T0 + 100 * MS, "vda", BlockOp.READ, 4096, 1000, 50_000));
    good.put(Topic.BLOCK_HIST, Records.blockHist(HOST, T0, T0 + 900 * MS, "vdb", Records.log2(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4)));
    good.put(Topic.RUNQ_HIST, Records.runqHist(HOST, T0, T0 + 900 * MS, Records.log2(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6)));
    good.put(Topic.FILE_SLOW, Records.fileSlow(HOST, T0 + 130 * MS, 10, "db", 20 * MS));
    good.put(Topic.TCP, Records.tcp(HOST, T0 + 150 * MS, 10, "curl", TcpEventType.CONNECT, "10.0.0.1"));
    good.put(Topic.HEALTH, Records.health(HOST, T0 + 500 * MS, T0, 5));

    try (KafkaIO io = new KafkaIO(broker)) {
      List<Poison> sent = sendPoisonThenGood(io, s, good);
      StreamExecutionEnvironment env = JobEnvironment.create(s, new Configuration());
      LatencyJob.fromKafka(s).build(env);
      JobClient job = env.executeAsync("poison-latency");
      try {
        List<DeadLetter> dead = io.readCommitted(s.topic(Topic.DEAD_LETTER), DeadLetter.class,
            l -> l.size() >= sent.size(), Duration.ofSeconds(60));
        assertDeadLetters(dead, s::topic, good.keySet());
        io.send(s.topic(Topic.BLOCK_IO), HOST, Records.blockIo(HOST, T0 + 3 * SECOND, "vda", BlockOp.READ, 4096, 1000, 50_000));
        io.flush();
        Predicate<LatencySummary> hostAll0 = l -> l.getScope() == Scope.HOST && l.getWindowStartNs() == T0 && l.getDimension().equals("all");
        List<LatencySummary> out = io.readCommitted(s.topic(Topic.LATENCY), LatencySummary.class,
            l -> l.stream().filter(hostAll0).count() >= 4, Duration.ofSeconds(60));
        Map<LatencyKind, Long> counts = out.stream().filter(hostAll0)
            .collect(Collectors.toMap(LatencySummary::getKind, LatencySummary::getCount, Long::sum));
        assertThat(counts).as("the good records behind the poison").containsEntry(LatencyKind.BLOCK_IO, 1L + 4L)
            .containsEntry(LatencyKind.RUNQ, 6L).containsEntry(LatencyKind.FILE_OP, 1L).containsEntry(LatencyKind.TCP_CONNECT, 1L);
        assertThat(out.stream().filter(hostAll0).filter(l -> l.getKind() == LatencyKind.BLOCK_IO).findFirst().orElseThrow()
            .getLostEvents()).as("the good health report behind the poison").isEqualTo(5L);

        assertThat(counter(job.getJobID(), "latency-events")).as("event source rejectedRecords").isEqualTo(15);
        assertThat(counter(job.getJobID(), "latency-health")).as("health source rejectedRecords").isEqualTo(3);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      } finally {
        job.cancel().get();
      }
    }
  }

  static final String ALERT_RULES = """
      rules:
        - id: exec-rate
          kind: threshold
          source: workload
          where: {scope: container}
          figure: exec_per_s
          above: 10
        - id: blockio-p99
          kind: threshold
          source: latency
          where: {kind: block-io, scope: host}
          figure: p99
          above: 50ms
        - id: ww
          kind: pattern
          pattern: exec-from-world-writable-dir
        - id: userns
          kind: pattern
          pattern: userns-root-to-nonroot
        - id: setns
          kind: pattern
          pattern: setns-into-other-container
        - id: burst
          kind: pattern
          pattern: short-lived-burst
          count: 2
          within: 1s
          max-lifetime: 100ms
        - id: silent
          kind: absence
          silent-for: 1s
      """;

  @Test
  void alertsJobDeadLettersPoisonOnEachInputTopic(TestBroker broker) throws Exception {
    String prefix = "a" + UUID.randomUUID().toString().substring(0, 8) + ".";
    long t0 = dev.bpfstream.jobs.alert.Records.T0;
    long ms = dev.bpfstream.jobs.alert.Records.MS;
    Map<Topic, List<SpecificRecord>> good = new LinkedHashMap<>();
    good.put(Topic.WORKLOAD, List.of(dev.bpfstream.jobs.alert.Records.workload(Scope.CONTAINER, "a", "c1", t0, SECOND, Map.of("exec_per_s", 30.0))));
    good.put(Topic.LATENCY, List.of(dev.bpfstream.jobs.alert.Records.latency(LatencyKind.BLOCK_IO, "a", "vda", t0, SECOND, 80 * ms)));
    good.put(Topic.EXEC, List.of(dev.bpfstream.jobs.alert.Records.exec("a", null, 1000, "/tmp/x", 0755, 1000, 01777, t0)));
    good.put(Topic.NS_METADATA, List.of(dev.bpfstream.jobs.alert.Records.userNs("a", 4026532001L, 0, 1000, false, t0),
        dev.bpfstream.jobs.alert.Records.namespace("a", NamespaceKind.NET, 100L, "web", t0)));
    good.put(Topic.NS_LIFECYCLE, List.of(dev.bpfstream.jobs.alert.Records.setns("a", null, NamespaceKind.NET,
        dev.bpfstream.jobs.alert.Records.HOST_NET, 100L, 0, t0 + SECOND)));
    good.put(Topic.EXIT, List.of(dev.bpfstream.jobs.alert.Records.exit("a", null, "true", 5 * ms, t0),
        dev.bpfstream.jobs.alert.Records.exit("a", null, "true", 5 * ms, t0 + 200 * ms)));
    good.put(Topic.HEALTH, List.of(dev.bpfstream.jobs.alert.Records.health("a", t0, SECOND)));

    List<Poison> sent = new ArrayList<>();
    try (KafkaIO io = new KafkaIO(broker)) {
      io.createTopics(java.util.stream.Stream.concat(good.keySet().stream(), java.util.stream.Stream.of(Topic.ALERTS, Topic.DEAD_LETTER))
          .map(t -> prefix + t.topicName()).toList());
      // Metadata first: the setns rule needs to know whose namespace 100 is when the setns arrives.
      for (Map.Entry<Topic, List<SpecificRecord>> e : good.entrySet()) {
        for (Poison p : Poison.of(e.getValue().get(0))) {
          io.sendRaw(prefix + e.getKey().topicName(), "a", p.bytes());
          sent.add(p);
        }
        for (SpecificRecord r : e.getValue()) {
          io.send(prefix + e.getKey().topicName(), "a", r);
        }
        io.flush();
      }

      Properties client = new Properties();
      client.putAll(broker.clientProperties());
      StreamExecutionEnvironment env = FlinkTarget.environment(null);
      env.setParallelism(1);
      env.enableCheckpointing(300);
      AlertJob.fromKafka(RulesParser.parse("poison.yaml", ALERT_RULES),
          JobSettings.defaults(broker.bootstrapServers(), "alerts").withPrefixAndGroup(prefix, "poison-alerts", prefix), null).build(env);
      JobClient job = env.executeAsync("poison-alerts");
      try {
        List<DeadLetter> dead = io.readCommitted(prefix + Topic.DEAD_LETTER.topicName(), DeadLetter.class,
            l -> l.size() >= sent.size(), Duration.ofSeconds(60));
        assertDeadLetters(dead, t -> prefix + t.topicName(), good.keySet());

        // Every rule fires on the good records behind the poison, so every input went on being read.
        Set<String> rules = Set.of("exec-rate", "blockio-p99", "ww", "userns", "setns", "burst", "silent");
        List<Alert> alerts = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (AlertFeed feed = new AlertFeed(client, prefix + Topic.ALERTS.topicName(), true)) {
          while (!firing(alerts).containsAll(rules) && System.nanoTime() < deadline) {
            feed.poll(Duration.ofMillis(300), a -> true, alerts::add, msg -> {
              throw new AssertionError(msg);
            });
          }
        }
        assertThat(firing(alerts)).isEqualTo(rules);
        assertThat(sumOf(job.getJobID(), "")).as("rejectedRecords of all sources").isEqualTo(21);
        for (Topic t : good.keySet()) {
          assertThat(counter(job.getJobID(), prefix + t.topicName())).as("rejectedRecords of " + t.topicName()).isEqualTo(3);
        }
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      } finally {
        job.cancel().get();
      }
    }
  }

  private static Set<String> firing(List<Alert> alerts) {
    return alerts.stream().filter(a -> a.getState() == AlertState.FIRING).map(Alert::getRuleId).collect(Collectors.toSet());
  }

  private static JobSettings settings(TestBroker broker, String name) {
    String prefix = "p" + UUID.randomUUID().toString().substring(0, 8) + ".";
    return JobSettings.defaults(broker.bootstrapServers(), name)
        .withPrefixAndGroup(prefix, "g-" + prefix, "tx-" + prefix)
        .withWindow(Duration.ofSeconds(1), Duration.ofSeconds(1))
        .withEventTime(new EventTimeSettings(Duration.ZERO, Duration.ofSeconds(1)))
        .withCheckpointInterval(Duration.ofMillis(300));
  }

  /** Per topic: its three poison copies of the good record, then the good record. */
  private static List<Poison> sendPoisonThenGood(KafkaIO io, JobSettings s, Map<Topic, SpecificRecord> good) throws Exception {
    List<String> topics = new ArrayList<>(good.keySet().stream().map(s::topic).toList());
    topics.addAll(List.of(s.topic(Topic.WORKLOAD), s.topic(Topic.LATENCY), s.topic(Topic.DEAD_LETTER)));
    io.createTopics(topics.stream().distinct().toList());
    List<Poison> sent = new ArrayList<>();
    for (Map.Entry<Topic, SpecificRecord> e : good.entrySet()) {
      for (Poison p : Poison.of(e.getValue())) {
        io.sendRaw(s.topic(e.getKey()), HOST, p.bytes());
        sent.add(p);
      }
      io.send(s.topic(e.getKey()), HOST, e.getValue());
    }
    io.flush();
    return sent;
  }

  /** Three dead letters per topic, one per way of being broken, each with the bytes that were sent. */
  private static void assertDeadLetters(List<DeadLetter> dead, java.util.function.Function<Topic, String> name, Set<Topic> topics) {
    assertThat(dead).hasSize(3 * topics.size());
    for (Topic t : topics) {
      List<DeadLetter> ofTopic = dead.stream().filter(d -> d.getSourceTopic().equals(name.apply(t))).sorted(
          java.util.Comparator.comparingLong(DeadLetter::getOffset)).toList();
      assertThat(ofTopic).as(t.topicName()).extracting(d -> d.getReason().substring(0, d.getReason().indexOf(':')))
          .containsExactly("BAD_MAGIC", "UNKNOWN_SCHEMA", "TRUNCATED");
      assertThat(ofTopic).as(t.topicName()).allSatisfy(d -> {
        assertThat(d.getReason()).doesNotContain("Exception").doesNotContain("\n");
        assertThat(d.getValue()).isNotNull();
        assertThat(d.getValue().remaining()).isPositive();
      });
      assertThat(ofTopic.get(1).getReason()).contains("unknown writer schema fingerprint 123456789abcdef");
      assertThat(ofTopic.get(0).getValue().get(0)).as("the bytes as sent").isEqualTo((byte) 0);
    }
  }

  /** The count of the {@code rejectedRecords} counters of the job's operators whose name contains {@code operator}. */
  private static long counter(JobID job, String operator) {
    return sumOf(job, operator);
  }

  private static long sumOf(JobID job, String operator) {
    long sum = 0;
    List<String> seen = new ArrayList<>();
    for (Map.Entry<MetricGroup, Map<String, Metric>> g : METRICS.getMetricsByGroup().entrySet()) {
      Map<String, String> vars = g.getKey().getAllVariables();
      if (job.toString().equals(vars.get("<job_id>")) && g.getValue().get("rejectedRecords") instanceof Counter c) {
        String name = vars.getOrDefault("<operator_name>", "");
        seen.add(name);
        if (name.contains(operator)) {
          sum += c.getCount();
        }
      }
    }
    assertThat(seen).as("operators with a rejectedRecords counter").anyMatch(n -> n.contains(operator));
    return sum;
  }
}

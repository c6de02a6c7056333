package dev.bpfstream.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.ProbeHealth;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.JobEnvironment;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.JobsMain;
import dev.bpfstream.jobs.generator.FleetGenerator;
import dev.bpfstream.jobs.generator.FleetProfile;
import dev.bpfstream.jobs.generator.Mix;
import dev.bpfstream.jobs.latency.LatencyDecoder;
import dev.bpfstream.jobs.latency.LatencyJob;
import dev.bpfstream.jobs.latency.LatencySummaries;
import dev.bpfstream.jobs.sink.KafkaOutputs;
import dev.bpfstream.jobs.source.EventTimeSettings;
import dev.bpfstream.jobs.source.KafkaInputs;
import dev.bpfstream.jobs.workload.WorkloadDecoder;
import dev.bpfstream.jobs.workload.WorkloadJob;
import dev.bpfstream.jobs.workload.WorkloadSummarizer;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.TopicSetup;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fleet on a real cluster, with parts of it killed mid-stream. Three Kafka brokers and a Flink
 * session cluster (a JobManager, two TaskManagers), each its own process; the workload and latency
 * jobs submitted as the shaded jar through the REST API ({@code jobs submit}); 50 synthetic hosts
 * playing live and a real collector (root, BPF) producing the exec/exit events of processes this
 * test runs, both with acks=all. Mid-stream the broker leading the most partitions is killed with
 * SIGKILL, 15 s later a TaskManager; a replacement TaskManager starts at once, as a supervisor would
 * start one, and the broker a minute after its death (longer than the producers' delivery timeout:
 * only replication keeps the fleet's records from expiring meanwhile). Then every summary the cluster's jobs committed is compared with those of an
 * undisturbed run over the same input (a bounded run on a MiniCluster, afterwards): none missing,
 * none twice, none different. The collector lost nothing and every event it read is on the topic;
 * the jobs' consumer groups end with lag 0.
 *
 * <p>{@code -Dbpfstream.fleet.break=replication} creates the topics with one replica and
 * {@code -Dbpfstream.fleet.break=restore} gives the cluster no restart strategy: the test must fail
 * either way. {@code -Dbpfstream.fleet.long=true} plays longer with three rounds of faults.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class FleetFaultTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path JOBS_JAR = ROOT.resolve("stream-jobs/target/bpfstream-stream-jobs.jar");
  static final Path COLLECTOR_JAR = ROOT.resolve("collector/target/bpfstream-collector.jar");
  static final String BREAK = System.getProperty("bpfstream.fleet.break", "");
  static final boolean LONG = Boolean.getBoolean("bpfstream.fleet.long");
  static final long SECOND = 1_000_000_000L;
  static final Duration WINDOW = Duration.ofSeconds(2);
  static final Duration ROLLUP = Duration.ofSeconds(4);
  static final int HOSTS = 50;
  static final double RATE = 1_000;
  static final int PARTITIONS = 3;
  /** How long a killed broker stays dead: longer than {@link #DELIVERY_TIMEOUT}, much longer than a failover. */
  static final Duration BROKER_DOWN = Duration.ofSeconds(60);
  static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(40);

  @Test
  void killingTheLeadingBrokerAndATaskManagerMidStreamLosesNoSummaryAndDuplicatesNone() throws Exception {
    Prerequisites.require(Prerequisites.rootMissing());
    Prerequisites.require(Files.isRegularFile(JOBS_JAR) && Files.isRegularFile(COLLECTOR_JAR) ? null
        : "needs the jobs and collector jars: run through the reactor (mvn -B verify), which packages them before this module's tests");
    long start = System.currentTimeMillis();
    Path data = Files.createTempDirectory("bpfstream-fleet-test");
    ClusterLayout layout = new ClusterLayout(data, Path.of("target/lib").toAbsolutePath(), 3, 0, 0, 0, 0, 0, 2, 3,
        "768m", "1024m", "320m").withFreePorts();
    Map<String, String> flink = BREAK.equals("restore") ? Map.of("restart-strategy.type", "none") : Map.of();
    List<String> timeline = new ArrayList<>();
    Process collector = null;
    FleetGenerator[] generator = new FleetGenerator[1];
    try (LocalCluster cluster = LocalCluster.start(layout, System.out, flink);
        Admin admin = Admin.create(Map.of("bootstrap.servers", layout.bootstrapServers()))) {
      short rf = (short) (BREAK.equals("replication") ? 1 : KafkaNodes.REPLICATION_FACTOR);
      TopicSetup.ensure(admin, new TopicSetup.Plan("", PARTITIONS, rf, Map.of()));
      Map<String, String> isr = Map.of("min.insync.replicas", String.valueOf(TopicSetup.minInsyncReplicas(rf)));
      admin.createTopics(List.of(new NewTopic("undisturbed.agg.workload", 1, rf).configs(isr), new NewTopic("undisturbed.agg.latency", 1, rf).configs(isr),
          new NewTopic("undisturbed.bpfstream.dlq", 1, rf).configs(isr), new NewTopic("fleet.probe", PARTITIONS, rf).configs(isr)))
          .all().get(60, TimeUnit.SECONDS);

      String[] jobOptions = {"--bootstrap-servers", layout.bootstrapServers(), "--parallelism", "2", "--window", "2s", "--rollup", "4s",
          "--checkpoint-interval", "1s", "--max-out-of-orderness", "2s",
          // Longer than a broker's failover: a partition without a leader for a while is stalled, not idle (its events would be late).
          "--idle-timeout", "60s"};
      submit(layout, "workload", jobOptions);
      submit(layout, "latency", jobOptions);
      note(timeline, String.format("cluster up and both jobs running after %.0f s", (System.currentTimeMillis() - start) / 1e3));

      // The fleet first: every input partition has data before the collector's first event. A
      // partition that was idle rejoins the watermark behind the others: the first events of the
      // collector (wall-clock times) or of the fleet (times from its schedule, behind the wall
      // clock while its producer fetches metadata) were late there, and their windows missing.
      SummaryWatch watch = new SummaryWatch(layout.bootstrapServers());
      // Plays until the faults are over (stopped then), however long the collector takes to attach under load.
      long events = (long) (RATE * 900);
      CompletableFuture<FleetGenerator.Stats> playing = play(layout, events, generator);
      ProduceProbe probe = new ProduceProbe(layout.bootstrapServers());
      long t0 = System.currentTimeMillis();
      watch.awaitAny(Duration.ofSeconds(180));
      note(timeline, String.format("first summaries committed at %.0f s", (System.currentTimeMillis() - t0) / 1e3));

      Path workloadDir = Files.createDirectories(data.resolve("workload"));
      Path marker = workloadDir.resolve("fleet-test-" + ProcessHandle.current().pid());
      Files.copy(Path.of("/bin/true"), marker);
      marker.toFile().setExecutable(true);
      String hostId = "fleet-test-collector-" + ProcessHandle.current().pid();
      collector = new ProcessBuilder("java", "-XX:+UseSerialGC", "-Xmx256m", "-jar", COLLECTOR_JAR.toString(), "run",
          "--bootstrap-servers", layout.bootstrapServers(), "--probes", "exec,exit", "--host-id", hostId, "--interval", "1s",
          "--metrics-port", "0", "--no-host-metrics", "--spool-dir", data.resolve("spool").toString())
          .redirectErrorStream(true).redirectOutput(data.resolve("collector.out").toFile()).start();
      awaitLine(data.resolve("collector.out"), "attached", collector, Duration.ofSeconds(120));
      ExecLoop execs = new ExecLoop(marker);
      note(timeline, String.format("collector attached at %.0f s", (System.currentTimeMillis() - t0) / 1e3));

      int rounds = LONG ? 3 : 1;
      long[] brokerDeaths = new long[rounds];
      long[] tmDeaths = new long[rounds];
      for (int round = 0; round < rounds; round++) {
        int leader = leaderOfMostPartitions(admin);
        brokerDeaths[round] = System.currentTimeMillis();
        cluster.killBroker(leader);
        note(timeline, String.format("kill -9 kafka-%d (leader of the most partitions) at %.0f s", leader, (brokerDeaths[round] - t0) / 1e3));
        Thread.sleep(15_000);
        assertThat(playing).as("the fleet still plays when the TaskManager dies").isNotDone();
        NodeProcess tm = cluster.taskManagers().get(0);
        tmDeaths[round] = System.currentTimeMillis();
        cluster.killTaskManager(tm);
        NodeProcess replacement = cluster.startTaskManager();
        note(timeline, String.format("kill -9 %s at %.0f s, %s started", tm.name(), (tmDeaths[round] - t0) / 1e3, replacement.name()));
        // The broker stays dead longer than the producers' delivery timeout: with replication its
        // partitions have new leaders within seconds, without it their records expire unsent.
        Thread.sleep(Math.max(0, brokerDeaths[round] + BROKER_DOWN.toMillis() - System.currentTimeMillis()));
        cluster.restartBroker(leader);
        note(timeline, String.format("kafka-%d started again at %.0f s", leader, (System.currentTimeMillis() - t0) / 1e3));
        if (LONG && round < rounds - 1) {
          Thread.sleep(30_000);
        }
      }

      Thread.sleep(10_000);
      generator[0].stop();
      FleetGenerator.Stats played = playing.get(10, TimeUnit.MINUTES);
      note(timeline, String.format("the fleet played %d events by %.0f s", played.events(), (System.currentTimeMillis() - t0) / 1e3));
      execs.stop();
      assertThat(played.failedSends()).as("records Kafka refused the fleet (first: %s)", played.firstError()).isZero();
      collector.destroy();
      assertThat(collector.waitFor(60, TimeUnit.SECONDS)).as("the collector stops on SIGTERM").isTrue();
      probe.stop();
      cluster.awaitKafka(3, Duration.ofSeconds(120));
      assertThat(jobStates(cluster)).as("the cluster's jobs after the faults (a job without restarts fails with its TaskManager)")
          .containsOnly(Map.entry("bpfstream-workload", "RUNNING"), Map.entry("bpfstream-latency", "RUNNING"));

      long sentinelNs = sendSentinels(layout.bootstrapServers());
      JobSettings s = settings(layout.bootstrapServers());
      long undisturbedStart = System.currentTimeMillis();
      undisturbed(s, data.resolve("undisturbed-checkpoints"));
      note(timeline, String.format("undisturbed run of %.0f s done at %.0f s", (System.currentTimeMillis() - undisturbedStart) / 1e3,
          (System.currentTimeMillis() - t0) / 1e3));
      // The bounded run ends every window, the sentinels' too; the live jobs end only those before the sentinels.
      List<WorkloadSummary> expectedWorkload = TopicReader.readCommitted(s.bootstrapServers(), "undisturbed.agg.workload", WorkloadSummary.class)
          .stream().filter(w -> w.getWindowStartNs() < sentinelNs).toList();
      List<LatencySummary> expectedLatency = TopicReader.readCommitted(s.bootstrapServers(), "undisturbed.agg.latency", LatencySummary.class)
          .stream().filter(l -> l.getWindowStartNs() < sentinelNs).toList();
      assertThat(expectedWorkload).hasSizeGreaterThan(100);
      assertThat(expectedLatency).hasSizeGreaterThan(100);

      Summaries got = watch.awaitComplete(expectedWorkload.size(), expectedLatency.size(), sentinelNs, Duration.ofMinutes(4));
      compare("agg.workload", got.workload(sentinelNs), expectedWorkload, FleetFaultTest::identity);
      compare("agg.latency", got.latency(sentinelNs), expectedLatency, FleetFaultTest::identity);
      assertThat(TopicReader.readCommitted(layout.bootstrapServers(), "bpfstream.dlq", DeadLetter.class)).as("dead letters").isEmpty();

      // The collector: nothing lost, every event it read on the topic, the test's own execs all there.
      List<CollectorHealth> health = TopicReader.readCommitted(layout.bootstrapServers(), "collector.health", CollectorHealth.class)
          .stream().filter(h -> h.getHostId().equals(hostId)).toList();
      CollectorHealth last = health.get(health.size() - 1);
      Map<String, Long> onTopic = new HashMap<>();
      List<ProcessExec> ownExecs = TopicReader.readCommitted(layout.bootstrapServers(), "bpf.exec", ProcessExec.class).stream()
          .filter(e -> e.getCtx().getHostId().equals(hostId)).toList();
      onTopic.put("exec", (long) ownExecs.size());
      onTopic.put("exit", TopicReader.count(layout.bootstrapServers(), "bpf.exit", hostId));
      for (ProbeHealth p : last.getProbes()) {
        assertThat(p.getLostKernel() + p.getLostUser() + p.getDropped() + p.getParseErrors()).as(p.getProbe() + " lost").isZero();
        assertThat(onTopic.get(p.getProbe())).as(p.getProbe() + ": every event read is on the topic").isEqualTo(p.getDelivered());
      }
      assertThat(last.getProduceErrors()).as("produce errors").isZero();
      assertThat(ownExecs.stream().filter(e -> e.getFilename().toString().equals(marker.toString())).count())
          .as("the test's own execs").isEqualTo(execs.count());

      Map<String, Long> lag = new LinkedHashMap<>();
      lag.putAll(awaitLag0(admin, "bpfstream-workload", new WorkloadDecoder("").topics()));
      lag.putAll(awaitLag0(admin, "bpfstream-latency", new LatencyDecoder("").topics()));
      assertThat(lag).as("consumer lag per group and partition").allSatisfy((k, v) -> assertThat(v).as(k).isZero());

      System.out.printf("RELIABILITY fleet: %d events from %d hosts at %.0f/s and %d collector execs of its own; %s; "
              + "%d workload and %d latency summaries compared; produce stall after the broker death %d ms (acks=all); "
              + "summary delay at rest %d ms; first new summary %d ms after the broker death, %d ms after the TaskManager death%n",
          played.events(), HOSTS, played.eventsPerSecond(), execs.count(), String.join("; ", timeline), expectedWorkload.size(),
          expectedLatency.size(), probe.maxStallMs(brokerDeaths[0]), watch.restDelayMs(brokerDeaths[0]),
          watch.firstNewAfterMs(brokerDeaths[0]), watch.firstNewAfterMs(tmDeaths[0]));
      watch.close();
    } finally {
      if (generator[0] != null) {
        generator[0].stop();
      }
      if (collector != null && collector.isAlive()) {
        collector.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      deleteTree(data);
    }
  }

  /** A step of the run, kept for the summary line and printed at once (a failed run shows how far it got). */
  private static void note(List<String> timeline, String step) {
    timeline.add(step);
    System.out.println("FLEET " + step);
  }

  record Summaries(List<WorkloadSummary> allWorkload, List<LatencySummary> allLatency) {
    List<WorkloadSummary> workload(long beforeNs) {
      return allWorkload.stream().filter(w -> w.getWindowStartNs() < beforeNs).toList();
    }

    List<LatencySummary> latency(long beforeNs) {
      return allLatency.stream().filter(l -> l.getWindowStartNs() < beforeNs).toList();
    }
  }

  /** As a user submits: {@code jobs submit} uploads the shaded jar through the REST API and runs it. */
  private static void submit(ClusterLayout layout, String job, String... options) {
    List<String> args = new ArrayList<>(List.of("submit", "--jar", JOBS_JAR.toString(), "--jobmanager", layout.restAddress(),
        "--wait", "300s", job));
    args.addAll(Arrays.asList(options));
    java.io.StringWriter err = new java.io.StringWriter();
    int code = JobsMain.commandLine().setErr(new java.io.PrintWriter(err, true)).execute(args.toArray(String[]::new));
    assertThat(code).as("jobs submit %s: %s", job, err).isZero();
  }

  /** The settings the submitted jobs run with (the same command-line options), for the undisturbed run. */
  static JobSettings settings(String bootstrap) {
    return JobSettings.defaults(bootstrap, "undisturbed").withWindow(WINDOW, ROLLUP)
        .withEventTime(new EventTimeSettings(Duration.ofSeconds(2), null))
        .withPrefixAndGroup("", "undisturbed", "undisturbed").withBounded(true);
  }

  static CompletableFuture<FleetGenerator.Stats> play(ClusterLayout layout, long events, FleetGenerator[] handle) {
    FleetGenerator g = new FleetGenerator(new FleetGenerator.Settings(HOSTS, Mix.ALL, FleetProfile.standard().withContainers(2),
        RATE, events, true, 0, SECOND, 11, ""));
    handle[0] = g;
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, layout.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    for (Topic t : Topic.values()) {
      producer.partitionsFor(t.topicName()); // metadata first: the first sends must not wait while the schedule runs on
    }
    return CompletableFuture.supplyAsync(() -> {
      try (producer) {
        return g.run(producer);
      }
    });
  }

  /**
   * A record in the future of the fleet's data on every partition of every input of both jobs: it
   * moves each job's watermark past every window of the run. Aligned to the rollup and 60 rollups
   * ahead (within the jobs' 5-minute --max-ahead); summaries from it on are not compared.
   */
  static long sendSentinels(String bootstrap) throws Exception {
    long rollupNs = ROLLUP.toNanos();
    long ns = (System.currentTimeMillis() * 1_000_000L / rollupNs + 60) * rollupNs;
    dev.bpfstream.jobs.generator.SyntheticHost host = new dev.bpfstream.jobs.generator.SyntheticHost(999, FleetProfile.standard(), 5, ns - SECOND);
    Map<Topic, SpecificRecord> records = new LinkedHashMap<>();
    for (SpecificRecord r : host.interval(ns, ns + SECOND)) {
      records.putIfAbsent(Topic.forType(r.getClass()), r);
    }
    Set<Topic> inputs = new LinkedHashSet<>(Arrays.asList(new WorkloadDecoder("").topics()));
    inputs.addAll(Arrays.asList(new LatencyDecoder("").topics()));
    byte[] key = "zz-sentinel".getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Topic t : inputs) {
        records.computeIfAbsent(t, k -> host.event(k, ns));
      }
      for (Map.Entry<Topic, SpecificRecord> e : records.entrySet()) {
        @SuppressWarnings("unchecked")
        byte[] value = ((dev.bpfstream.schema.WireCodec<SpecificRecord>) dev.bpfstream.schema.WireCodec.of(e.getKey().recordType())).encode(e.getValue());
        for (int p = 0; p < PARTITIONS; p++) {
          producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(e.getKey().topicName(), p, key, value)).get(120, TimeUnit.SECONDS);
        }
      }
    }
    return ns;
  }

  /**
   * Both jobs over the same input as one bounded run on a MiniCluster in this JVM (one job, as the
   * standalone stack runs them), to topics of their own. Its checkpoints go to a directory, as the
   * CLI's local runs do: without one Flink keeps them in the JobManager's memory, limited to 5 MB,
   * which the host windows of 50 hosts outgrow, and every checkpoint failed and restarted the job
   * (it never finished). No restarts: a failure of the reference run fails the test at once.
   */
  static void undisturbed(JobSettings s, Path checkpoints) throws Exception {
    KafkaInputs in = new KafkaInputs(s);
    KafkaOutputs out = new KafkaOutputs(s.bootstrapServers(), Map.of(), s.guarantee());
    Configuration c = new Configuration();
    c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = JobEnvironment.create(s, c);
    new WorkloadJob(s, in.observations(new WorkloadDecoder("")), in.health(),
        out.sink("undisturbed.agg.workload", WorkloadSummary.class, WorkloadSummarizer::key, "undisturbed-workload"),
        out.deadLetters("undisturbed.bpfstream.dlq", "undisturbed-workload-dlq")).build(env);
    new LatencyJob(s, in.observations(new LatencyDecoder("", null)), in.health(),
        out.sink("undisturbed.agg.latency", LatencySummary.class, LatencySummaries::key, "undisturbed-latency"),
        out.deadLetters("undisturbed.bpfstream.dlq", "undisturbed-latency-dlq")).build(env);
    JobClient job = env.executeAsync("undisturbed");
    try {
      job.getJobExecutionResult().get(6, TimeUnit.MINUTES);
    } catch (TimeoutException e) {
      job.cancel().get(60, TimeUnit.SECONDS);
      throw new AssertionError("the undisturbed bounded run did not finish within 6 minutes");
    }
  }

  static String identity(WorkloadSummary s) {
    return WorkloadSummarizer.key(s) + "@" + s.getWindowStartNs() + "+" + s.getWindowSizeNs();
  }

  static String identity(LatencySummary s) {
    return LatencySummaries.key(s) + "@" + s.getWindowStartNs() + "-" + s.getWindowEndNs();
  }

  /** Record by record: none twice, none missing, none extra, each equal to the undisturbed one. */
  private static <T> void compare(String topic, List<T> got, List<T> expected, Function<T, String> identity) {
    Map<String, Long> perKey = got.stream().collect(Collectors.groupingBy(identity, Collectors.counting()));
    assertThat(perKey.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
        .as(topic + ": summaries written more than once").isEmpty();
    Map<String, T> byKey = got.stream().collect(Collectors.toMap(identity, Function.identity(), (a, b) -> a));
    Map<String, T> expectedByKey = expected.stream().collect(Collectors.toMap(identity, Function.identity()));
    assertThat(expectedByKey.keySet().stream().filter(k -> !byKey.containsKey(k)).sorted().toList()).as(topic + ": missing").isEmpty();
    assertThat(byKey.keySet().stream().filter(k -> !expectedByKey.containsKey(k)).sorted().toList()).as(topic + ": not in the undisturbed run").isEmpty();
    List<String> different = expectedByKey.keySet().stream().filter(k -> !expectedByKey.get(k).equals(byKey.get(k))).sorted().toList();
    assertThat(different).as(topic + ": different from the undisturbed run, first: %s vs %s",
        different.isEmpty() ? "" : byKey.get(different.get(0)), different.isEmpty() ? "" : expectedByKey.get(different.get(0))).isEmpty();
  }

  /** Each job's name and state as the JobManager reports them. */
  private static Map<String, String> jobStates(LocalCluster cluster) throws IOException {
    Map<String, String> states = new LinkedHashMap<>();
    for (var job : cluster.rest("/jobs/overview").path("jobs")) {
      states.put(job.path("name").asText(), job.path("state").asText());
    }
    return states;
  }

  /** The broker that leads the most partitions of the catalog's topics. */
  static int leaderOfMostPartitions(Admin admin) throws Exception {
    Map<String, TopicDescription> d = admin.describeTopics(Arrays.stream(Topic.values()).map(Topic::topicName).toList())
        .allTopicNames().get(60, TimeUnit.SECONDS);
    Map<Integer, Long> led = d.values().stream().flatMap(t -> t.partitions().stream()).filter(p -> p.leader() != null)
        .collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting()));
    return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  /** Waits until the group's committed offset of every partition of {@code topics} is the partition's end; returns the lags. */
  private static Map<String, Long> awaitLag0(Admin admin, String group, Topic[] topics) throws Exception {
    Set<String> names = Arrays.stream(topics).map(Topic::topicName).collect(Collectors.toCollection(LinkedHashSet::new));
    names.add(Topic.HEALTH.topicName());
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (TopicDescription t : admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS).values()) {
      for (TopicPartitionInfo p : t.partitions()) {
        ends.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest());
      }
    }
    Map<String, Long> lag = new LinkedHashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    do {
      Map<TopicPartition, Long> end = new HashMap<>();
      admin.listOffsets(ends).all().get(60, TimeUnit.SECONDS).forEach((tp, r) -> end.put(tp, r.offset()));
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
      lag.clear();
      end.entrySet().stream().sorted(Comparator.comparing(e -> e.getKey().toString())).forEach(e -> {
        OffsetAndMetadata c = committed.get(e.getKey());
        lag.put(group + " " + e.getKey(), e.getValue() - (c == null ? 0 : c.offset()));
      });
      if (lag.values().stream().allMatch(v -> v == 0)) {
        break;
      }
      Thread.sleep(1_000);
    } while (System.nanoTime() < deadline);
    return lag;
  }

  private static void awaitLine(Path file, String text, Process p, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(file) || !Files.readString(file, StandardCharsets.ISO_8859_1).contains(text)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the collector did not start: " + (Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : ""));
      }
      Thread.sleep(200);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

package dev.bpfstream.jobs.upgrade;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.JobEnvironment;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.alert.AlertJob;
import dev.bpfstream.jobs.alert.AlertsCommand;
import dev.bpfstream.jobs.latency.LatencyDecoder;
import dev.bpfstream.jobs.latency.LatencyJob;
import dev.bpfstream.jobs.latency.LatencySummaries;
import dev.bpfstream.jobs.sink.KafkaOutputs;
import dev.bpfstream.jobs.source.KafkaInputs;
import dev.bpfstream.jobs.workload.WorkloadDecoder;
import dev.bpfstream.jobs.workload.WorkloadJob;
import dev.bpfstream.jobs.workload.WorkloadSummarizer;
import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Runs of the jobs over the {@link FixedInput}, as the savepoint maker and the upgrade and golden
 * tests do them, and their output as it is kept in the test resources: one line per record,
 * {@code <identity>\t<wire bytes, base64>}, sorted.
 */
public final class UpgradeRuns {
  /** The release whose savepoints are kept: the commit before this round's changes to the jobs. */
  public static final String RELEASE = "87e7067";

  private UpgradeRuns() {
  }

  /** One output record: what makes it unique on its topic, and its bytes on the wire. */
  public record Output(String identity, byte[] bytes) {
    String line() {
      return identity + "\t" + Base64.getEncoder().encodeToString(bytes);
    }

    static Output parse(String line) {
      int tab = line.indexOf('\t');
      return new Output(line.substring(0, tab), Base64.getDecoder().decode(line.substring(tab + 1)));
    }

    String base64() {
      return Base64.getEncoder().encodeToString(bytes);
    }
  }

  public static final Comparator<Output> ORDER = Comparator.comparing(Output::identity).thenComparing(Output::base64);

  /**
   * Builds the job reading the fixed input (no topic of its own for the output: {@code out} for
   * summaries or alerts, {@code dlq} for dead letters).
   */
  static void build(FixedInput.Job job, JobSettings s, Map<String, Object> client, String out, String dlq, StreamExecutionEnvironment env) {
    KafkaInputs in = new KafkaInputs(s);
    KafkaOutputs outputs = new KafkaOutputs(s.bootstrapServers(), s.kafkaProperties(), s.guarantee());
    String tx = s.transactionalIdPrefix();
    switch (job) {
      case WORKLOAD -> new WorkloadJob(s, in.observations(new WorkloadDecoder(s.topicPrefix())), in.health(),
          outputs.sink(out, WorkloadSummary.class, WorkloadSummarizer::key, tx + "-summaries"),
          outputs.deadLetters(dlq, tx + "-dlq")).build(env);
      case LATENCY -> new LatencyJob(s, in.observations(new LatencyDecoder(s.topicPrefix())), in.health(),
          outputs.sink(out, LatencySummary.class, LatencySummaries::key, tx + "-summaries"),
          outputs.deadLetters(dlq, tx + "-dlq")).build(env);
      case ALERTS -> new AlertJob(AlertsCommand.load(null, new java.io.PrintWriter(System.err, true)), in,
          outputs.sink(out, Alert.class, Alert::getAlertId, tx + "-alerts"),
          outputs.deadLetters(dlq, tx + "-dlq"), null).build(env);
      default -> throw new IllegalArgumentException(job.toString());
    }
  }

  /** Starts the job over the fixed input; {@code extra} e.g. restores a savepoint. */
  static JobClient start(FixedInput.Job job, JobSettings s, Map<String, Object> client, String out, String dlq,
                         Configuration extra, String name) throws Exception {
    // As every job command makes it, `alerts run` included.
    StreamExecutionEnvironment env = JobEnvironment.create(s, extra);
    build(job, s, client, out, dlq, env);
    return env.executeAsync(name);
  }

  /**
   * A topic of its own for one run's output, created before the run: the first batch a transactional
   * producer sends to a topic it makes appear can be refused (OutOfOrderSequence) and lost.
   */
  static String runTopic(Map<String, Object> client, FixedInput.Job job, String what) throws Exception {
    String topic = job.prefix() + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(client)) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all().get();
      dev.bpfstream.schema.TopicLeaders.await(admin, List.of(topic), 30_000);
    }
    return topic;
  }

  /** The identity of an output record of the job: Kafka key and window (alerts: id, state and window). */
  static String identity(FixedInput.Job job, byte[] bytes) {
    return switch (job) {
      case WORKLOAD -> {
        WorkloadSummary s = WireCodec.of(WorkloadSummary.class).decode(bytes);
        yield WorkloadSummarizer.key(s) + "@" + s.getWindowStartNs();
      }
      case LATENCY -> {
        LatencySummary s = WireCodec.of(LatencySummary.class).decode(bytes);
        yield LatencySummaries.key(s) + "@" + s.getWindowStartNs();
      }
      case ALERTS -> {
        Alert a = WireCodec.of(Alert.class).decode(bytes);
        yield a.getAlertId() + "#" + a.getState() + "@" + a.getWindowEndNs();
      }
    };
  }

  /** The window start of a summary (alerts: 0), to leave out the sentinels' windows. */
  static long windowStartNs(FixedInput.Job job, byte[] bytes) {
    return switch (job) {
      case WORKLOAD -> WireCodec.of(WorkloadSummary.class).decode(bytes).getWindowStartNs();
      case LATENCY -> WireCodec.of(LatencySummary.class).decode(bytes).getWindowStartNs();
      case ALERTS -> 0;
    };
  }

  /** The topics the job reads. */
  static List<dev.bpfstream.schema.Topic> inputs(FixedInput.Job job) {
    List<dev.bpfstream.schema.Topic> t = new ArrayList<>();
    switch (job) {
      case WORKLOAD -> t.addAll(List.of(new WorkloadDecoder("").topics()));
      case LATENCY -> t.addAll(List.of(new LatencyDecoder("").topics()));
      case ALERTS -> t.addAll(AlertsCommand.load(null, new java.io.PrintWriter(System.err, true)).inputTopics());
    }
    if (job != FixedInput.Job.ALERTS) {
      t.add(dev.bpfstream.schema.Topic.HEALTH);
    }
    return t;
  }

  static Class<? extends SpecificRecord> recordType(FixedInput.Job job) {
    return switch (job) {
      case WORKLOAD -> WorkloadSummary.class;
      case LATENCY -> LatencySummary.class;
      case ALERTS -> Alert.class;
    };
  }

  /**
   * The committed records of a topic (of the fleet's windows: the sentinels' are left out): all of
   * them up to the end of what is committed, again and again until {@code done} holds for what was
   * read or the timeout passes.
   */
  static List<Output> readCommitted(Map<String, Object> client, FixedInput.Job job, String topic, Predicate<List<Output>> done,
                                    Duration timeout) {
    Map<String, Object> p = new HashMap<>(client);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<Output> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      while (true) {
        // With read_committed the end offset is the last stable offset: everything committed so far.
        long end = c.endOffsets(List.of(tp)).get(tp);
        while (c.position(tp) < end) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
            if (windowStartNs(job, r.value()) < FixedInput.SENTINEL_NS) {
              out.add(new Output(identity(job, r.value()), r.value()));
            }
          }
        }
        if (done.test(out) || System.nanoTime() > deadline) {
          break;
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    out.sort(ORDER);
    return out;
  }

  /**
   * The committed output of a running job once it holds {@code expected} records (or 2 minutes
   * passed), read again after a few more checkpoints so that a record written twice shows.
   */
  static List<Output> awaitOutput(Map<String, Object> client, FixedInput.Job job, String topic, int expected) throws InterruptedException {
    readCommitted(client, job, topic, l -> l.size() >= expected, Duration.ofMinutes(2));
    Thread.sleep(2_000);
    return readCommitted(client, job, topic, l -> true, Duration.ZERO);
  }

  /** What differs between two records of the same identity, field by field, short enough for a CI log. */
  /**
   * The golden record as a job restored from {@link #RELEASE} writes it. That release's state kept no
   * executable paths ({@code WorkloadSummary.topCommands} came after it; its commands are rebuilt
   * from the {@code comm/pid} top processes it kept): a window open at its savepoint names a
   * command's executable only if one of the command's execs came after the restore. So a command
   * the restored record has without one gets none in the golden record too; nothing else changes.
   */
  static byte[] asRestoredFromRelease(FixedInput.Job job, byte[] golden, byte[] got) {
    if (job != FixedInput.Job.WORKLOAD || !RELEASE.equals("87e7067")) {
      return golden;
    }
    WireCodec<dev.bpfstream.event.WorkloadSummary> codec = WireCodec.of(dev.bpfstream.event.WorkloadSummary.class);
    dev.bpfstream.event.WorkloadSummary g = codec.decode(golden);
    Map<String, String> restoredExe = new HashMap<>();
    codec.decode(got).getTopCommands().forEach(c -> restoredExe.put(c.getComm(), c.getExe()));
    g.getTopCommands().forEach(c -> {
      if ("".equals(restoredExe.get(c.getComm()))) {
        c.setExe("");
      }
    });
    return codec.encode(g);
  }

  static String difference(FixedInput.Job job, byte[] expected, byte[] got) {
    SpecificRecord e = WireCodec.of(recordType(job)).decode(expected);
    SpecificRecord g = WireCodec.of(recordType(job)).decode(got);
    List<String> out = new ArrayList<>();
    for (org.apache.avro.Schema.Field f : e.getSchema().getFields()) {
      if (!java.util.Objects.equals(e.get(f.pos()), g.get(f.pos()))) {
        out.add(f.name() + " expected " + e.get(f.pos()) + " got " + g.get(f.pos()));
      }
    }
    return out.isEmpty() ? "same fields, different bytes (encoding or map order)" : String.join("; ", out);
  }

  /** The committed dead letters of a topic, as reasons. */
  static List<String> readDeadLetters(Map<String, Object> client, String topic) {
    Map<String, Object> p = new HashMap<>(client);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<String> out = new ArrayList<>();
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          dev.bpfstream.event.DeadLetter d = WireCodec.of(dev.bpfstream.event.DeadLetter.class).decode(r.value());
          out.add(d.getSourceTopic() + ": " + d.getReason());
        }
      }
    }
    return out;
  }

  static void writeLines(Path file, List<Output> outputs) throws IOException {
    Files.createDirectories(file.getParent());
    List<String> lines = outputs.stream().sorted(ORDER).map(Output::line).toList();
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  /** Output lines kept as a test resource ({@code /upgrade/...} or {@code /golden/...}). */
  static List<Output> resourceLines(String resource) throws IOException {
    try (InputStream in = UpgradeRuns.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + resource + " missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).map(Output::parse)
          .sorted(ORDER).toList();
    }
  }

  /** The golden output of the job over the whole fixed input. */
  static String goldenResource(FixedInput.Job job) {
    return "/golden/" + job.id + ".txt";
  }

  /** The directory of the job's savepoint of the release, and what it had committed before it. */
  static String savepointResource(FixedInput.Job job) {
    return "/upgrade/" + RELEASE + "/" + job.id;
  }
}

package dev.bpfstream.jobs.upgrade;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bpfstream.broker.EmbeddedKafkaBroker;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.schema.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * Makes the upgrade test resources with the code of the checkout it runs in (run it on the release
 * whose state later releases must restore):
 * <ul>
 *   <li>{@code upgrade/<release>/<job>/savepoint/}: a savepoint of each job taken mid-stream, after
 *       it read {@link FixedInput.Part#FIRST} (windows, a rollup, baselines and alerts open), and
 *       {@code before.txt}: what it had committed by then;</li>
 *   <li>{@code golden/<job>.txt}: the output of an undisturbed run over {@link FixedInput.Part#WHOLE}.</li>
 * </ul>
 * {@code java -cp <stream-jobs test classpath> dev.bpfstream.jobs.upgrade.MakeUpgradeResources stream-jobs/src/test/resources [jobs...]}
 * (the command with the classpath is in {@code src/test/resources/upgrade/README.md}).
 */
public final class MakeUpgradeResources {
  private MakeUpgradeResources() {
  }

  public static void main(String[] args) throws Exception {
    Path resources = Path.of(args[0]);
    boolean goldenOnly = Stream.of(args).anyMatch("--golden-only"::equals);
    List<FixedInput.Job> jobs = Stream.of(args).skip(1).filter(a -> !a.startsWith("--"))
        .map(a -> FixedInput.Job.valueOf(a.toUpperCase())).toList();
    if (jobs.isEmpty()) {
      jobs = List.of(FixedInput.Job.values());
    }
    Path tmp = Files.createTempDirectory("bpfstream-upgrade");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(tmp.resolve("kafka"))) {
      for (FixedInput.Job job : jobs) {
        if (!goldenOnly) {
          savepoint(broker, job, resources.resolve("upgrade").resolve(UpgradeRuns.RELEASE).resolve(job.id), tmp);
        }
        golden(broker, job, resources.resolve("golden").resolve(job.id + ".txt"));
      }
    } finally {
      deleteTree(tmp);
    }
    System.exit(0);
  }

  static void savepoint(EmbeddedKafkaBroker broker, FixedInput.Job job, Path dir, Path tmp) throws Exception {
    Map<String, Object> client = broker.clientProperties();
    FixedInput.Written first = FixedInput.write(client, job, FixedInput.Part.FIRST);
    JobSettings s = FixedInput.settings(broker.bootstrapServers(), job, "savepoint");
    String out = UpgradeRuns.runTopic(client, job, "out");
    JobClient client0 = UpgradeRuns.start(job, s, client, out, UpgradeRuns.runTopic(client, job, "dlq"), new Configuration(), job.id + "-savepoint");
    awaitCommitted(client, s.groupId(), job);
    // Checkpoints after everything was read: the last transaction is empty, nothing is pending in the sink.
    Thread.sleep(3_000);
    String savepoint = client0.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
        .get(2, TimeUnit.MINUTES);
    List<UpgradeRuns.Output> before = UpgradeRuns.readCommitted(client, job, out, l -> true, Duration.ZERO);
    deleteTree(dir);
    copyTree(Path.of(java.net.URI.create(savepoint)), dir.resolve("savepoint"));
    UpgradeRuns.writeLines(dir.resolve("before.txt"), before);
    System.out.printf("%s: savepoint after %s, %d records committed before it -> %s%n", job, first.perTopic(), before.size(), dir);
  }

  static void golden(EmbeddedKafkaBroker broker, FixedInput.Job job, Path file) throws Exception {
    List<UpgradeRuns.Output> golden = undisturbed(broker, job);
    // Twice: a golden output that depends on the run would make the golden test flaky.
    List<UpgradeRuns.Output> again = undisturbed(broker, job);
    if (!golden.stream().map(UpgradeRuns.Output::line).toList().equals(again.stream().map(UpgradeRuns.Output::line).toList())) {
      throw new IllegalStateException(job + ": two undisturbed runs over the fixed input differ: no golden output");
    }
    UpgradeRuns.writeLines(file, golden);
    System.out.printf("%s: golden: %d records -> %s%n", job, golden.size(), file);
  }

  static List<UpgradeRuns.Output> undisturbed(EmbeddedKafkaBroker broker, FixedInput.Job job) throws Exception {
    Map<String, Object> client = broker.clientProperties();
    FixedInput.Written whole = FixedInput.write(client, job, FixedInput.Part.WHOLE);
    String out = UpgradeRuns.runTopic(client, job, "golden");
    String dlq = UpgradeRuns.runTopic(client, job, "dlq");
    JobSettings s = FixedInput.settings(broker.bootstrapServers(), job, "golden");
    List<UpgradeRuns.Output> golden;
    if (job == FixedInput.Job.ALERTS) {
      JobClient c = UpgradeRuns.start(job, s, client, out, dlq, new Configuration(), job.id + "-golden");
      int seen = -1;
      int n;
      while ((n = UpgradeRuns.readCommitted(client, job, out, l -> true, Duration.ZERO).size()) != seen || n == 0) {
        seen = n;
        Thread.sleep(8_000);
      }
      c.cancel().get(1, TimeUnit.MINUTES);
      golden = UpgradeRuns.readCommitted(client, job, out, l -> true, Duration.ZERO);
    } else {
      UpgradeRuns.start(job, s.withBounded(true), client, out, dlq, new Configuration(), job.id + "-golden")
          .getJobExecutionResult().get(5, TimeUnit.MINUTES);
      golden = UpgradeRuns.readCommitted(client, job, out, l -> true, Duration.ZERO);
    }
    int dead = UpgradeRuns.readDeadLetters(client, dlq).size();
    if (dead > 0) {
      throw new IllegalStateException(job + ": " + dead + " dead letters over the fixed input: " + UpgradeRuns.readDeadLetters(client, dlq));
    }
    System.out.printf("%s: undisturbed run over %s: %d records%n", job, whole.perTopic(), golden.size());
    return golden;
  }

  /**
   * Waits until the job's group has committed the end offset of every input partition: a checkpoint
   * completed after everything was read (the sources commit each completed checkpoint's offsets).
   */
  static void awaitCommitted(Map<String, Object> client, String group, FixedInput.Job job) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    try (Admin admin = Admin.create(client)) {
      while (true) {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (Topic t : UpgradeRuns.inputs(job)) {
          ends.put(new TopicPartition(job.prefix() + t.topicName(), 0), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(ends).all().get().forEach((tp, r) -> end.put(tp, r.offset()));
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        List<String> behind = new ArrayList<>();
        end.forEach((tp, e) -> {
          long c = committed.containsKey(tp) && committed.get(tp) != null ? committed.get(tp).offset() : 0;
          if (e > 0 && c < e) {
            behind.add(tp + " " + c + "/" + e);
          }
        });
        if (behind.isEmpty()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(job + ": not caught up in 2 minutes: " + behind);
        }
        Thread.sleep(300);
      }
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

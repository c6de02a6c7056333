package dev.bpfstream.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bpfstream.broker.LoopbackKeyStore;
import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.Namespaces;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.TaskContext;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.RetainedCheckpoints;
import dev.bpfstream.jobs.window.PreAggregateOperator;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's jobs stopped with a window open and started again: the new run takes over from the
 * newest checkpoint, so the window's summary counts what was read before the stop and after it.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LocalJobsRestartTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 1_767_225_600L * SECOND;

  @Test
  void aRestartedStackCompletesTheWindowOpenAtTheStop(TestBroker broker, @TempDir Path data) throws Exception {
    StandaloneStack.createTopics(broker.clientProperties());
    Path checkpoints = data.resolve("flink");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      // One exec in the window before (it closes in the first run), three in the window at T0 (open at the stop).
      sendExec(producer, T0 - 2 * SECOND);
      for (int i = 0; i < 3; i++) {
        sendExec(producer, T0 + i * 100_000_000L);
      }
      producer.flush();

      LoopbackKeyStore key = LoopbackKeyStore.create(data.resolve("tls.p12"), "restart-test");
      Map<String, String> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
      LocalJobs first = LocalJobs.start(kafka, Duration.ofSeconds(1), checkpoints, null, key, 0, 0);
      try {
        assertThat(first.restoredFrom()).isEmpty();
        awaitObservations(first, 4);
        // A checkpoint completed after the four were read (the window at T0 is still open: nothing later came).
        long before = newestNumber(checkpoints).orElse(0L);
        awaitTrue(() -> newestNumber(checkpoints).orElse(0L) > before, "a checkpoint after the events were read");
      } finally {
        first.close();
      }

      LocalJobs second = LocalJobs.start(kafka, Duration.ofSeconds(1), checkpoints, null, key, 0, 0);
      try {
        assertThat(second.restoredFrom()).isPresent();
        sendExec(producer, T0 + 500_000_000L);
        // Far later: closes the window.
        sendExec(producer, T0 + 10 * SECOND);
        producer.flush();

        WorkloadSummary window = awaitHostWindow(broker, T0);
        assertThat(window.getEventCount()).as("three execs read before the stop, one after").isEqualTo(4L);
        // The window closed before the stop is not written again (a start without the state would re-read it).
        assertThat(awaitHostWindow(broker, T0 - 2 * SECOND).getEventCount()).isEqualTo(1L);
        assertThat(second.client().getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
      } finally {
        second.close();
      }
      try (Stream<Path> runs = Files.list(checkpoints)) {
        assertThat(runs.filter(Files::isDirectory).count()).as("the older run's checkpoints are removed at a restart").isEqualTo(2);
      }
    }
  }

  private static void sendExec(KafkaProducer<byte[], byte[]> producer, long timeNs) {
    Namespaces ns = new Namespaces(4026531840L, 4026531838L, 4026531839L, 4026531836L, 4026531833L, 4026531837L, 4026531835L, 4026531834L);
    TaskContext ctx = TaskContext.newBuilder().setHostId("h1").setHostname("h1.local").setTimeNs(timeNs).setCpu(0)
        .setPid(100).setTid(100).setPpid(1).setUid(0).setGid(0).setComm("sh").setCgroupId(1).setContainerId(null)
        .setNs(ns).setSeq(0).build();
    ProcessExec exec = ProcessExec.newBuilder().setCtx(ctx).setFilename("/bin/sh").build();
    producer.send(new ProducerRecord<>(Topic.EXEC.topicName(), "h1".getBytes(StandardCharsets.UTF_8),
        WireCodec.of(ProcessExec.class).encode(exec)));
  }

  private static void awaitObservations(LocalJobs jobs, long n) throws Exception {
    awaitTrue(() -> {
      Object v = jobs.client().getAccumulators().get(10, TimeUnit.SECONDS).get(PreAggregateOperator.OBSERVATIONS);
      return v instanceof Long l && l >= n;
    }, n + " observations read");
  }

  private static Optional<Long> newestNumber(Path checkpoints) throws Exception {
    return RetainedCheckpoints.newest(checkpoints.toUri().toString()).map(RetainedCheckpoints.Retained::number);
  }

  private static WorkloadSummary awaitHostWindow(TestBroker broker, long windowStartNs) throws Exception {
    Map<String, Object> props = new HashMap<>(broker.clientProperties());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    WireCodec<WorkloadSummary> codec = WireCodec.of(WorkloadSummary.class);
    List<WorkloadSummary> found = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(Topic.WORKLOAD.topicName(), 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          WorkloadSummary s = codec.decode(r.value());
          if (s.getScope() == Scope.HOST && s.getWindowStartNs() == windowStartNs && s.getWindowSizeNs() == SECOND) {
            found.add(s);
          }
        }
        if (!found.isEmpty()) {
          consumer.poll(Duration.ofSeconds(3)).forEach(r -> {
            WorkloadSummary s = codec.decode(r.value());
            if (s.getScope() == Scope.HOST && s.getWindowStartNs() == windowStartNs && s.getWindowSizeNs() == SECOND) {
              found.add(s);
            }
          });
          assertThat(found).as("summaries of the window").hasSize(1);
          return found.get(0);
        }
      }
    }
    throw new AssertionError("no committed HOST summary of the window at " + windowStartNs + " within 90 s");
  }

  interface Check {
    boolean holds() throws Exception;
  }

  private static void awaitTrue(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (check.holds()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}

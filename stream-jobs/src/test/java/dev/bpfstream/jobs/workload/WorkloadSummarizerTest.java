package dev.bpfstream.jobs.workload;

import static dev.bpfstream.jobs.testing.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.event.CommandEntry;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.testing.Records;
import dev.bpfstream.jobs.window.PartialKey;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Who, by command: records decoded, folded into a host's window and summarized. */
class WorkloadSummarizerTest {
  static final long WINDOW_MS = 10_000;

  @Test
  void aBurstOfThirtyShortLivedProcessesIsOneCommandOfThirtyProcesses() throws Exception {
    WorkloadAccumulator hostA = window("host-a", 30);
    WorkloadAccumulator hostB = window("host-b", 5);

    WorkloadSummary a = summarize(hostA);
    assertThat(a.getTopCommands()).containsExactly(new CommandEntry("true", "/usr/bin/true", 30L, 60L, 0L, 0L));
    assertThat(a.getTopProcesses()).hasSize(WorkloadSummarizer.TOP_N).allSatisfy(p -> assertThat(p.getEvents()).isEqualTo(2));

    WorkloadAccumulator fleet = hostA.toFleet();
    fleet.merge(hostB.toFleet());
    WorkloadSummary f = summarize(fleet);
    assertThat(f.getScope()).isEqualTo(Scope.FLEET);
    assertThat(f.getTopCommands()).containsExactly(new CommandEntry("true", "/usr/bin/true", 35L, 70L, 0L, 0L));
  }

  /** {@code n} processes of {@code true} on the host (the same pids on every host), each an exec and an exit. */
  static WorkloadAccumulator window(String host, int n) {
    WorkloadDecoder decoder = new WorkloadDecoder("");
    WorkloadFolder folder = new WorkloadFolder();
    WorkloadAccumulator acc = folder.newPartial(host, host + ".local", T0 / 1_000_000, WINDOW_MS);
    List<WorkloadObservation> decoded = new ArrayList<>();
    Collector<WorkloadObservation> into = new Collector<>() {
      @Override
      public void collect(WorkloadObservation o) {
        folder.fold(o, acc);
        decoded.add(o);
      }

      @Override
      public void close() {
      }
    };
    for (int i = 0; i < n; i++) {
      int pid = 2000 + i;
      decoder.deserialize(record(Topic.EXEC, Records.exec(host, T0 + i * 1_000_000L, pid, "true", 0, null)), into);
      decoder.deserialize(record(Topic.EXIT, Records.exit(host, T0 + i * 1_000_000L + 500_000L, pid, "true", 500_000L)), into);
    }
    assertThat(decoded).hasSize(2 * n).allSatisfy(o -> assertThat(o.rejected()).isFalse());
    return acc;
  }

  @SuppressWarnings("unchecked")
  static <T extends SpecificRecord> ConsumerRecord<byte[], byte[]> record(Topic topic, T value) {
    byte[] bytes = WireCodec.of((Class<T>) value.getClass()).encode(value);
    return new ConsumerRecord<>(topic.topicName(), 0, 0, null, bytes);
  }

  static WorkloadSummary summarize(WorkloadAccumulator acc) throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, WorkloadAccumulator, WorkloadSummary> h =
             ProcessFunctionTestHarnesses.forKeyedProcessFunction(new WorkloadSummarizer(), new PartialKey<>(), Types.STRING)) {
      h.processElement(acc, 0);
      List<WorkloadSummary> out = h.extractOutputValues();
      return out.stream().filter(s -> s.getScope() == Scope.HOST || s.getScope() == Scope.FLEET).findFirst().orElseThrow();
    }
  }
}

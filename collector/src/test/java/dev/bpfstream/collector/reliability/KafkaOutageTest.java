package dev.bpfstream.collector.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.bpfstream.broker.EmbeddedKafkaBroker;
import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.Collector;
import dev.bpfstream.collector.CollectorConfig;
import dev.bpfstream.collector.bench.GetppidLoad;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.bpf.Tracefs;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.probe.KernelStats;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probes.BenchProbe;
import dev.bpfstream.collector.sink.KafkaEventSink;
import dev.bpfstream.collector.sink.Spool;
import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stops for a while under a steady event load and comes back: every event the kernel
 * side counted ends up in Kafka or in a reported drop count. Short here; the soak variant
 * (-Dbpfstream.soak=true: 20K ev/s, a 2-minute outage) and its figures are in BENCHMARKS.md, "Reliability".
 */
class KafkaOutageTest {
  static final boolean SOAK = Boolean.getBoolean("bpfstream.soak");

  @TempDir
  Path dir;

  @BeforeAll
  static void bpfAvailable() {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    Tracefs.ensureMounted();
  }

  @Test
  void anOutageOfTheBrokerLosesNothingUncounted() throws Exception {
    int rate = SOAK ? 20_000 : 4_000;
    Duration before = Duration.ofSeconds(SOAK ? 20 : 6);
    Duration outage = Duration.ofSeconds(SOAK ? 120 : 10);
    Duration after = Duration.ofSeconds(SOAK ? 20 : 6);
    long events = rate * (before.toSeconds() + outage.toSeconds() + after.toSeconds());
    Path brokerDir = dir.resolve("kafka");
    String prefix = "outage-" + UUID.randomUUID().toString().substring(0, 8) + ".";

    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(brokerDir);
    int port = broker.port();
    Spool spool = Spool.open(dir.resolve("spool"), 1L << 30, Spool.Policy.BLOCK);
    KafkaEventSink sink = new KafkaEventSink(new HashMap<>(broker.clientProperties()), "outage-host", prefix, spool);
    KernelStats kernel;
    ProbeCounters counters;
    boolean spooledDuringOutage;
    long spoolPeak = 0;
    try (GetppidLoad load = GetppidLoad.start(events, rate)) {
      Collector collector = Collector.startProbes(
          CollectorConfig.defaults(List.of()).withInterval(Duration.ofSeconds(1)),
          sink, List.of(new BenchProbe((int) load.pid())));
      LoadedProbe probe = collector.probes().get(0);
      counters = probe.context().counters();
      load.go();
      Thread.sleep(before.toMillis());
      broker.close();
      long outageEnd = System.nanoTime() + outage.toNanos();
      while (System.nanoTime() < outageEnd) {
        Thread.sleep(500);
        spoolPeak = Math.max(spoolPeak, spool.records());
      }
      spooledDuringOutage = spoolPeak > 0;
      broker = EmbeddedKafkaBroker.start(brokerDir, port, Map.of());
      load.await(600);
      long deadline = System.nanoTime() + Duration.ofSeconds(SOAK ? 600 : 120).toNanos();
      while ((sink.spooling() || !spool.isEmpty()) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      collector.close();
      kernel = probe.kernelStats();
      sink.close();
    }

    try {
      Set<Long> inKafka = readDistinct(broker, prefix + Topic.EXIT.topicName());
      long dropped = counters.dropped.sum();
      System.out.printf("outage: attempted=%d delivered=%d lostKernel=%d spooledPeak=%d spooled=%d produced=%d dropped=%d inKafka=%d%n",
          kernel.attempted(), counters.delivered.sum(), kernel.lost(), spoolPeak, counters.spooled.sum(),
          counters.produced.sum(), dropped, inKafka.size());
      assertThat(spooledDuringOutage).as("records went to the spool while the broker was down").isTrue();
      assertThat(kernel.attempted()).isEqualTo(events);
      assertThat(kernel.attempted()).isEqualTo(counters.delivered.sum() + kernel.lost());
      assertThat(inKafka.size() + dropped + kernel.lost()).as("every attempt is in Kafka or counted as lost/dropped")
          .isEqualTo(kernel.attempted());
      assertThat(spool.isEmpty()).isTrue();
    } finally {
      broker.close();
    }
  }

  /** Distinct (cpu, per-CPU sequence) pairs: a replay retry may send a record twice. */
  static Set<Long> readDistinct(EmbeddedKafkaBroker broker, String topic) {
    Map<String, Object> p = new HashMap<>(broker.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "count-" + UUID.randomUUID());
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    Set<Long> seen = new HashSet<>();
    WireCodec<ProcessExit> codec = WireCodec.of(ProcessExit.class);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          ProcessExit e = codec.decode(r.value());
          seen.add(((long) e.getCtx().getCpu() << 48) | e.getCtx().getSeq());
        }
      }
    }
    return seen;
  }
}

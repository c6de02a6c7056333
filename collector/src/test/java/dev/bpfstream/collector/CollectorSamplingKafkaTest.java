package dev.bpfstream.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.sink.KafkaEventSink;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.ProfileSample;
import dev.bpfstream.event.RunqLatencyHistogram;
import dev.bpfstream.event.RunqLengthHistogram;
import dev.bpfstream.schema.Topic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The drained probes on the collector's own interval timer, through the real broker, with their health counters. */
@ExtendWith(KafkaBrokerExtension.class)
class CollectorSamplingKafkaTest {

  @BeforeAll
  static void bpfAvailable() {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
  }

  @Test
  void runQueueAndProfileDrainsArriveEveryIntervalAndAtClose(TestBroker broker) throws Exception {
    String prefix = "s" + UUID.randomUUID().toString().substring(0, 8) + ".";
    CollectorConfig config = CollectorConfig.defaults(List.of("runqlat", "runqlen", "profile"))
        .withHostId("test-host").withInterval(Duration.ofSeconds(1)).withHostMetrics(false);
    try (KafkaEventSink sink = new KafkaEventSink(new HashMap<>(broker.clientProperties()), "test-host", prefix);
         Collector collector = Collector.start(config, sink)) {
      assertThat(collector.failedProbes()).isEmpty();
      long end = System.nanoTime() + 2_500_000_000L;
      long x = 0;
      while (System.nanoTime() < end) {
        x += Long.numberOfTrailingZeros(x + System.nanoTime()); // on CPU, so the profile sees this JVM
      }
    }

    // The report made at close is the last one, after the final drain: its counters cover every interval.
    List<CollectorHealth> health = readAll(broker, prefix, Topic.HEALTH, CollectorHealth.class);
    Map<String, Long> counters = health.get(health.size() - 1).getCounters();
    assertThat(counters).containsEntry("probe.profile.overflow", 0L).containsEntry("probe.runqlat.overflow", 0L);

    long runqSamples = counters.get("probe.runqlat.samples");
    assertThat(runqSamples).isPositive();
    List<RunqLatencyHistogram> runq = KafkaTopics.readUntil(broker, prefix, Topic.RUNQ_HIST, RunqLatencyHistogram.class,
        l -> l.stream().mapToLong(h -> h.getHistogram().getCount()).sum() == runqSamples, Duration.ofSeconds(30));
    assertThat(runq).allMatch(h -> h.getHostId().equals("test-host") && h.getHistogram().getBuckets().size() == 64);

    long profileSamples = counters.get("probe.profile.samples");
    List<ProfileSample> profile = KafkaTopics.readUntil(broker, prefix, Topic.PROFILE, ProfileSample.class,
        l -> l.stream().mapToLong(ProfileSample::getCount).sum() == profileSamples, Duration.ofSeconds(30));
    assertThat(profile).allMatch(p -> p.getCount() > 0 && p.getFolded().startsWith(p.getCtx().getComm()));
    assertThat(profile).anyMatch(p -> p.getCtx().getPid() == ProcessHandle.current().pid());

    long lengthSamples = counters.get("probe.runqlen.samples");
    List<RunqLengthHistogram> len = KafkaTopics.readUntil(broker, prefix, Topic.RUNQ_LEN, RunqLengthHistogram.class,
        l -> l.stream().mapToLong(RunqLengthHistogram::getSamples).sum() == lengthSamples, Duration.ofSeconds(30));
    assertThat(len.stream().map(RunqLengthHistogram::getCpu).distinct().count()).isEqualTo(counters.get("probe.runqlen.cpus_sampled"));
  }

  /** Everything on the topic: the collector is closed and flushed, so the topic stops growing. */
  private static <T extends org.apache.avro.specific.SpecificRecord> List<T> readAll(TestBroker broker, String prefix,
                                                                                     Topic topic, Class<T> type) {
    long[] lastGrowth = {System.nanoTime(), -1};
    return KafkaTopics.readUntil(broker, prefix, topic, type, l -> {
      if (l.size() != lastGrowth[1]) {
        lastGrowth[1] = l.size();
        lastGrowth[0] = System.nanoTime();
      }
      return !l.isEmpty() && System.nanoTime() - lastGrowth[0] > 1_500_000_000L;
    }, Duration.ofSeconds(30));
  }
}

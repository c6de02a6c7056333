package dev.bpfstream.jobs.latency;

import static dev.bpfstream.jobs.testing.Records.SECOND;
import static dev.bpfstream.jobs.testing.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.Scope;
import dev.bpfstream.jobs.JobEnvironment;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.sketch.LatencySketch;
import dev.bpfstream.jobs.source.EventTimeSettings;
import dev.bpfstream.jobs.testing.FlinkCluster;
import dev.bpfstream.jobs.testing.KafkaIO;
import dev.bpfstream.jobs.testing.OncePerClass;
import dev.bpfstream.jobs.testing.Records;
import dev.bpfstream.schema.Log2Buckets;
import dev.bpfstream.schema.Topic;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LatencyJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.extension();

  static final String[] HOSTS = {"host-a", "host-b", "host-c"};

  /** What the job wrote, with what it was given. */
  record Output(List<LatencySummary> summaries, List<DeadLetter> deadLetters, String blockTopic,
                Map<String, List<Long>> perHost, List<Long> all, long[] kernelBuckets) {
  }

  private static final OncePerClass<Output> RUN = new OncePerClass<>();

  /** The job's output over the input below: run by the first test that asks, once for the class. */
  static Output output(TestBroker broker) throws Exception {
    return RUN.get(() -> run(broker));
  }

  /**
   * 1,000 block I/Os with chosen latencies across 3 hosts, a kernel histogram, collector health,
   * an unreadable record and a late event; the block I/O topic has a second partition that never
   * gets data and the other inputs fall silent, so windows close only if idleness works.
   */
  private static Output run(TestBroker broker) throws Exception {
    String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    JobSettings s = JobSettings.defaults(broker.bootstrapServers(), "latency-test")
        .withPrefixAndGroup(prefix, "g-" + prefix, "tx-" + prefix)
        // Idleness of 3 s, not 1: on a starved 2-CPU machine the busy partition itself went unread
        // for over a second, was taken for idle, and six of its events came late.
        .withEventTime(new EventTimeSettings(Duration.ofMillis(500), Duration.ofSeconds(3)))
        .withCheckpointInterval(Duration.ofMillis(500));
    String blockTopic = s.topic(Topic.BLOCK_IO);

    Map<String, List<Long>> perHost = new HashMap<>();
    List<Long> all = new ArrayList<>();
    long[] kernelBuckets = new long[64];
    kernelBuckets[12] = 5;
    kernelBuckets[20] = 3;
    try (KafkaIO io = new KafkaIO(broker)) {
      io.createTopic(blockTopic, 2);
      for (int i = 0; i < 1000; i++) {
        String host = HOSTS[i % 3];
        long latency = (i + 1) * 10_000L;
        perHost.computeIfAbsent(host, h -> new ArrayList<>()).add(latency);
        all.add(latency);
        io.send(blockTopic, 0, host, Records.blockIo(host, T0 + i * 9_000_000L, "vda", BlockOp.READ, 4096, 1000 + i, latency));
      }
      io.sendRaw(blockTopic, "host-a", new byte[] {1, 2, 3});
      io.send(s.topic(Topic.BLOCK_HIST), "host-a", Records.blockHist("host-a", T0, T0 + 10 * SECOND, "vdb", Records.log2(kernelBuckets)));
      io.send(s.topic(Topic.HEALTH), "host-a", Records.health("host-a", T0 + 2 * SECOND, T0 - SECOND, 5));
      io.send(s.topic(Topic.HEALTH), "host-b", Records.health("host-b", T0 + 3 * SECOND, T0 - 3600 * SECOND, 100));
      io.send(s.topic(Topic.HEALTH), "host-a", Records.health("host-a", T0 + 12 * SECOND, T0 - SECOND, 12));
      io.send(s.topic(Topic.HEALTH), "host-b", Records.health("host-b", T0 + 13 * SECOND, T0 - 3600 * SECOND, 104));
      for (String h : new String[] {"host-a", "host-b"}) {
        io.send(blockTopic, 0, h, Records.blockIo(h, T0 + 11 * SECOND, "vda", BlockOp.WRITE, 4096, 0, 50_000));
      }
      io.send(blockTopic, 0, "host-a", Records.blockIo("host-a", T0 + 25 * SECOND, "vda", BlockOp.WRITE, 4096, 0, 70_000));
      io.flush();

      StreamExecutionEnvironment env = JobEnvironment.create(s, new Configuration());
      LatencyJob.fromKafka(s).build(env);
      JobClient job = env.executeAsync("latency-test");
      try {
        List<LatencySummary> out = io.readCommitted(s.topic(Topic.LATENCY), LatencySummary.class,
            got -> got.stream().filter(x -> x.getWindowStartNs() == T0 + 10 * SECOND && x.getScope() == Scope.FLEET).count() >= 2,
            Duration.ofSeconds(90));
        // A late event: window 1 is closed now.
        io.send(blockTopic, 0, "host-a", Records.blockIo("host-a", T0 + SECOND, "vda", BlockOp.READ, 4096, 0, 1234));
        io.flush();
        List<DeadLetter> dead = io.readCommitted(s.topic(Topic.DEAD_LETTER), DeadLetter.class, d -> d.size() >= 2, Duration.ofSeconds(60));
        return new Output(out, dead, blockTopic, perHost, all, kernelBuckets);
      } finally {
        job.cancel().get();
      }
    }
  }

  @Test
  void eachHostsBlockIoHasExactLog2BucketsAndPercentilesWithinTheStatedError(TestBroker broker) throws Exception {
    Output o = output(broker);
    for (String h : HOSTS) {
      LatencySummary vda = find(o.summaries(), T0, h, LatencyKind.BLOCK_IO, "device", "vda");
      assertDistribution(vda, o.perHost().get(h));
      assertThat(vda.getRelativeError()).isEqualTo(LatencySketch.PERCENTILE_ERROR);
    }
  }

  @Test
  void theFleetWindowMergesEveryHostAndTheKernelHistogram(TestBroker broker) throws Exception {
    Output o = output(broker);
    assertDistribution(find(o.summaries(), T0, null, LatencyKind.BLOCK_IO, "all", "all"), o.all(), o.kernelBuckets());
  }

  @Test
  void aKernelHistogramMergesIntoTheSameLayoutAsPerEventLatencies(TestBroker broker) throws Exception {
    Output o = output(broker);
    // host-a "all" = per-event buckets + kernel buckets.
    LatencySummary aAll = find(o.summaries(), T0, "host-a", LatencyKind.BLOCK_IO, "all", "all");
    assertThat(aAll.getHistogram().getBuckets()).containsExactlyElementsOf(expectedBuckets(o.perHost().get("host-a"), o.kernelBuckets()));
    assertThat(aAll.getRelativeError()).isEqualTo(LatencySketch.KERNEL_BUCKET_ERROR);
    LatencySummary vdb = find(o.summaries(), T0, "host-a", LatencyKind.BLOCK_IO, "device", "vdb");
    assertThat(vdb.getCount()).isEqualTo(8);
    assertThat(vdb.getMaxNs()).isEqualTo(Log2Buckets.upperBound(20));
  }

  @Test
  void queueTimeIsAKindOfItsOwnFromTheSameEvents(TestBroker broker) throws Exception {
    assertThat(find(output(broker).summaries(), T0, null, LatencyKind.BLOCK_QUEUE, "all", "all").getCount()).isEqualTo(1000);
  }

  @Test
  void lossesAreTheDifferencesOfEachCollectorRunsHealthCounters(TestBroker broker) throws Exception {
    List<LatencySummary> out = output(broker).summaries();
    // host-a's first report counts its whole run (5), then the difference (12 - 5);
    // host-b's first report seen is from a long-running collector: only a base, then +4.
    assertThat(find(out, T0, "host-a", LatencyKind.BLOCK_IO, "device", "vda").getLostEvents()).isEqualTo(5);
    assertThat(find(out, T0, "host-b", LatencyKind.BLOCK_IO, "device", "vda").getLostEvents()).isZero();
    assertThat(find(out, T0, null, LatencyKind.BLOCK_IO, "all", "all").getLostEvents()).isEqualTo(5);
    assertThat(find(out, T0 + 10 * SECOND, "host-a", LatencyKind.BLOCK_IO, "all", "all").getLostEvents()).isEqualTo(7);
    assertThat(find(out, T0 + 10 * SECOND, "host-b", LatencyKind.BLOCK_IO, "all", "all").getLostEvents()).isEqualTo(4);
    assertThat(find(out, T0 + 10 * SECOND, null, LatencyKind.BLOCK_IO, "all", "all").getLostEvents()).isEqualTo(11);
  }

  @Test
  void lateAndUnreadableRecordsGoToTheDeadLetterTopicWithTheirBytes(TestBroker broker) throws Exception {
    Output o = output(broker);
    assertThat(o.deadLetters()).extracting(DeadLetter::getReason)
        .anySatisfy(r -> assertThat(r).startsWith("BAD_MAGIC"))
        .anySatisfy(r -> assertThat(r).startsWith("LATE"));
    assertThat(o.deadLetters()).allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo(o.blockTopic()));
    assertThat(o.deadLetters()).filteredOn(d -> d.getReason().startsWith("LATE")).singleElement()
        .satisfies(d -> assertThat(d.getValue()).isNotNull());
  }

  static LatencySummary find(List<LatencySummary> out, long windowStartNs, String host, LatencyKind kind, String dim, String value) {
    List<LatencySummary> m = out.stream()
        .filter(x -> x.getWindowStartNs() == windowStartNs && x.getKind() == kind && x.getDimension().equals(dim)
            && x.getDimensionValue().equals(value)
            && (host == null ? x.getScope() == Scope.FLEET : host.equals(x.getHostId())))
        .collect(Collectors.toList());
    assertThat(m).as("summary %s %s %s %s=%s in %s", windowStartNs, host, kind, dim, value, out).hasSize(1);
    return m.get(0);
  }

  static void assertDistribution(LatencySummary s, List<Long> values, long... kernel) {
    long kernelCount = Arrays.stream(kernel).sum();
    assertThat(s.getCount()).isEqualTo(values.size() + kernelCount);
    assertThat(s.getHistogram().getBuckets()).containsExactlyElementsOf(expectedBuckets(values, kernel));
    if (kernelCount > 0) {
      return;
    }
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    assertThat(s.getMaxNs()).isEqualTo(sorted[sorted.length - 1]);
    assertThat((double) s.getP50Ns()).isCloseTo(rank(sorted, 50), within(rank(sorted, 50) * s.getRelativeError()));
    assertThat((double) s.getP90Ns()).isCloseTo(rank(sorted, 90), within(rank(sorted, 90) * s.getRelativeError()));
    assertThat((double) s.getP99Ns()).isCloseTo(rank(sorted, 99), within(rank(sorted, 99) * s.getRelativeError()));
    assertThat((double) s.getP999Ns()).isCloseTo(rank(sorted, 99.9), within(rank(sorted, 99.9) * s.getRelativeError()));
    assertThat(s.getMeanNs()).isCloseTo(Arrays.stream(sorted).average().orElseThrow(), within(1e-6));
  }

  /** The exact value at rank round(p/100 n) (at least 1), the definition the sketch states its error against. */
  static double rank(long[] sorted, double p) {
    long r = Math.max(1, Math.round(p / 100.0 * sorted.length));
    return sorted[(int) r - 1];
  }

  static List<Long> expectedBuckets(List<Long> values, long... kernel) {
    long[] b = new long[64];
    for (long v : values) {
      b[Log2Buckets.index(v)]++;
    }
    for (int i = 0; i < kernel.length; i++) {
      b[i] += kernel[i];
    }
    return Arrays.stream(b).boxed().collect(Collectors.toList());
  }
}

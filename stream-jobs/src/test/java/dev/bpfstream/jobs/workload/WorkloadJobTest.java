package dev.bpfstream.jobs.workload;

import static dev.bpfstream.jobs.testing.Records.SECOND;
import static dev.bpfstream.jobs.testing.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.event.FigureChange;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.event.TopEntry;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.JobEnvironment;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.testing.FlinkCluster;
import dev.bpfstream.jobs.testing.KafkaIO;
import dev.bpfstream.jobs.testing.OncePerClass;
import dev.bpfstream.jobs.testing.Records;
import dev.bpfstream.schema.Topic;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The workload job over a hand-counted input (three windows of two hosts, health with losses), run
 * once for the class; each test checks one behaviour of its output.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WorkloadJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.extension();

  static final long W = 2 * SECOND;

  private static final OncePerClass<List<WorkloadSummary>> RUN = new OncePerClass<>();

  /** The job's output over the input below: run by the first test that asks, once for the class. */
  static List<WorkloadSummary> output(TestBroker broker) throws Exception {
    return RUN.get(() -> run(broker));
  }

  private static List<WorkloadSummary> run(TestBroker broker) throws Exception {
    String prefix = "w" + UUID.randomUUID().toString().substring(0, 8) + ".";
    JobSettings s = JobSettings.defaults(broker.bootstrapServers(), "workload-test")
        .withPrefixAndGroup(prefix, "g-" + prefix, "tx-" + prefix)
        .withWindow(Duration.ofSeconds(2), Duration.ofSeconds(4))
        .withCheckpointInterval(Duration.ofMillis(500))
        .withBounded(true);
    try (KafkaIO io = new KafkaIO(broker)) {
      // Window 1 [T0, T0+2s), host-a.
      for (int i = 0; i < 4; i++) {
        io.send(s.topic(Topic.EXEC), "host-a", Records.exec("host-a", T0 + i * 100_000_000L, 10, "make", 1000, "c1"));
      }
      for (int i = 0; i < 10; i++) {
        io.send(s.topic(Topic.OPEN), "host-a", Records.open("host-a", T0 + i * 100_000_000L, 20, "cat", 0, i < 3 ? 2 : 0));
      }
      for (int i = 0; i < 5; i++) {
        io.send(s.topic(Topic.BLOCK_IO), "host-a", Records.blockIo("host-a", T0 + i * 100_000_000L, 30, "dd", "vda", BlockOp.READ, 4096));
      }
      for (int i = 0; i < 2; i++) {
        io.send(s.topic(Topic.BLOCK_IO), "host-a", Records.blockIo("host-a", T0 + SECOND + i, 30, "dd", "vdb", BlockOp.WRITE, 8192));
        io.send(s.topic(Topic.TCP), "host-a", Records.tcp("host-a", T0 + SECOND + i, 40, "curl", TcpEventType.CONNECT, "10.0.0.1"));
      }
      io.send(s.topic(Topic.TCP), "host-a", Records.tcp("host-a", T0 + SECOND + 5, 40, "curl", TcpEventType.RETRANSMIT, "10.0.0.1"));
      io.send(s.topic(Topic.EXIT), "host-a", Records.exit("host-a", T0 + SECOND, 70, "sh", SECOND / 2));
      io.send(s.topic(Topic.EXIT), "host-a", Records.exit("host-a", T0 + SECOND, 70, "sh", 5 * SECOND));
      io.send(s.topic(Topic.PROFILE), "host-a", Records.profile("host-a", T0, T0 + SECOND, 50, "java", 50, "java;main;work"));
      io.send(s.topic(Topic.HEALTH), "host-a", Records.health("host-a", T0 + SECOND, T0 - SECOND, 3));
      // Window 1, host-b.
      for (int i = 0; i < 6; i++) {
        io.send(s.topic(Topic.OPEN), "host-b", Records.open("host-b", T0 + i * 100_000_000L, 60, "ls", 0, 0));
      }
      // Window 2: host-a opens twice as much; window 3: far less.
      for (int i = 0; i < 20; i++) {
        io.send(s.topic(Topic.OPEN), "host-a", Records.open("host-a", T0 + W + i * 50_000_000L, 20, "cat", 0, 0));
      }
      for (int i = 0; i < 2; i++) {
        io.send(s.topic(Topic.OPEN), "host-a", Records.open("host-a", T0 + 2 * W + i, 20, "cat", 0, 0));
      }
      io.flush();

      StreamExecutionEnvironment env = JobEnvironment.create(s, new Configuration());
      WorkloadJob.fromKafka(s).build(env);
      env.execute("workload-test");

      return io.readCommitted(s.topic(Topic.WORKLOAD), WorkloadSummary.class,
          got -> got.stream().anyMatch(x -> x.getWindowSizeNs() == 2 * W && x.getWindowStartNs() == T0 + 2 * W && x.getScope() == Scope.FLEET),
          Duration.ofSeconds(60));
    }
  }

  @Test
  void hostFiguresAreRatesOfTheHandCountedEvents(TestBroker broker) throws Exception {
    WorkloadSummary a1 = find(output(broker), T0, W, Scope.HOST, "host-a");
    assertThat(a1.getFigures()).containsEntry("exec_per_s", 2.0).containsEntry("opens_per_s", 5.0)
        .containsEntry("failed_opens_per_s", 1.5).containsEntry("read_iops", 2.5).containsEntry("write_iops", 1.0)
        .containsEntry("read_bytes_per_s", 10240.0).containsEntry("write_bytes_per_s", 8192.0)
        .containsEntry("read_iops{device=vda}", 2.5).containsEntry("write_iops{device=vdb}", 1.0)
        .containsEntry("tcp_connects_per_s", 1.0).containsEntry("tcp_retransmits_per_s", 0.5)
        .containsEntry("exits_per_s", 1.0).containsEntry("short_lived", 1.0).containsEntry("cpu_samples", 50.0);
    assertThat(a1.getEventCount()).isEqualTo(26);
  }

  @Test
  void topListsRankProcessesUsersContainersAddressesAndStacks(TestBroker broker) throws Exception {
    WorkloadSummary a1 = find(output(broker), T0, W, Scope.HOST, "host-a");
    assertThat(a1.getTopProcesses()).containsExactly(
        new TopEntry("cat/20", 10L, 0L, 0L), new TopEntry("dd/30", 7L, 5 * 4096L + 2 * 8192L, 0L),
        new TopEntry("make/10", 4L, 0L, 0L), new TopEntry("curl/40", 3L, 0L, 0L), new TopEntry("sh/70", 2L, 0L, 0L),
        new TopEntry("java/50", 0L, 0L, 50L));
    assertThat(a1.getTopUsers()).containsExactly(new TopEntry("0", 22L, 36864L, 50L), new TopEntry("1000", 4L, 0L, 0L));
    assertThat(a1.getTopContainers()).containsExactly(new TopEntry("c1", 4L, 0L, 0L));
    assertThat(a1.getTopRemoteAddresses()).containsExactly(new TopEntry("10.0.0.1", 3L, 0L, 0L));
    assertThat(a1.getTopStacks()).containsExactly(new TopEntry("java;main;work", 0L, 0L, 50L));
  }

  @Test
  void containersAndPidNamespacesGetSummariesOfTheirOwnEvents(TestBroker broker) throws Exception {
    List<WorkloadSummary> out = output(broker);
    WorkloadSummary c1 = out.stream().filter(x -> x.getScope() == Scope.CONTAINER && x.getWindowStartNs() == T0
        && x.getWindowSizeNs() == W).findFirst().orElseThrow();
    assertThat(c1.getContainerId()).isEqualTo("c1");
    assertThat(c1.getFigures()).containsEntry("exec_per_s", 2.0).containsEntry("opens_per_s", 0.0);
    WorkloadSummary ns1 = out.stream().filter(x -> x.getScope() == Scope.NAMESPACE && "host-a".equals(x.getHostId())
        && x.getWindowStartNs() == T0 && x.getWindowSizeNs() == W).findFirst().orElseThrow();
    assertThat(ns1.getNamespace()).isEqualTo("pid:4026531836");
    assertThat(ns1.getFigures()).containsEntry("opens_per_s", 5.0);
  }

  @Test
  void theFleetSummaryAddsUpTheHosts(TestBroker broker) throws Exception {
    WorkloadSummary f1 = find(output(broker), T0, W, Scope.FLEET, null);
    assertThat(f1.getFigures()).containsEntry("opens_per_s", 8.0);
    assertThat(f1.getTopProcesses()).extracting(TopEntry::getKey).startsWith("host-a.local:cat/20", "host-a.local:dd/30", "host-b.local:ls/60");
    assertThat(f1.getEventCount()).isEqualTo(32);
  }

  @Test
  void theHostsUpstreamLossesReachEverySummaryOfTheirWindow(TestBroker broker) throws Exception {
    List<WorkloadSummary> out = output(broker);
    assertThat(find(out, T0, W, Scope.HOST, "host-a").getLostEvents()).isEqualTo(3);
    assertThat(out.stream().filter(x -> x.getScope() == Scope.CONTAINER && x.getWindowStartNs() == T0 && x.getWindowSizeNs() == W)
        .findFirst().orElseThrow().getLostEvents()).isEqualTo(3);
    assertThat(find(out, T0, W, Scope.FLEET, null).getLostEvents()).isEqualTo(3);
    assertThat(find(out, T0, 2 * W, Scope.HOST, "host-a").getLostEvents()).as("the rollup").isEqualTo(3);
    assertThat(find(out, T0 + W, W, Scope.HOST, "host-a").getLostEvents()).as("the next window").isZero();
  }

  @Test
  void changesCompareEachFigureWithThePreviousWindowAndTheBaseline(TestBroker broker) throws Exception {
    List<WorkloadSummary> out = output(broker);
    assertThat(find(out, T0, W, Scope.HOST, "host-a").getChanges()).allSatisfy(c -> assertThat(c.getPrevious()).isNull());
    // By hand: window 2 doubles the opens; the baseline after one window is that window.
    WorkloadSummary a2 = find(out, T0 + W, W, Scope.HOST, "host-a");
    FigureChange opens2 = change(a2, "opens_per_s");
    assertThat(opens2.getValue()).isEqualTo(10.0);
    assertThat(opens2.getPrevious()).isEqualTo(5.0);
    assertThat(opens2.getBaseline()).isEqualTo(5.0);
    assertThat(opens2.getChangeVsPrevious()).isEqualTo(2.0);
    assertThat(a2.getBiggestMovers()).hasSize(3);
    assertThat(a2.getBiggestMovers().get(0)).startsWith("read_bytes_per_s:");
    assertThat(a2.getBiggestMovers().get(1)).startsWith("read_bytes_per_s{device=vda}:");
    assertThat(a2.getBiggestMovers().get(2)).startsWith("write_bytes_per_s:");
    // Window 3: baseline = 0.3 x 10 + 0.7 x 5.
    FigureChange opens3 = change(find(out, T0 + 2 * W, W, Scope.HOST, "host-a"), "opens_per_s");
    assertThat(opens3.getValue()).isEqualTo(1.0);
    assertThat(opens3.getPrevious()).isEqualTo(10.0);
    assertThat(opens3.getBaseline()).isCloseTo(6.5, within(1e-9));
    assertThat(opens3.getChangeVsBaseline()).isCloseTo(1.0 / 6.5, within(1e-9));
  }

  @Test
  void theRollupMergesTwoWindows(TestBroker broker) throws Exception {
    List<WorkloadSummary> out = output(broker);
    WorkloadSummary r1 = find(out, T0, 2 * W, Scope.HOST, "host-a");
    assertThat(r1.getFigures()).containsEntry("opens_per_s", 7.5);
    assertThat(r1.getTopProcesses().get(0)).isEqualTo(new TopEntry("cat/20", 30L, 0L, 0L));
    assertThat(find(out, T0 + 2 * W, 2 * W, Scope.FLEET, null).getFigures()).containsEntry("opens_per_s", 0.5);
  }

  @Test
  void aHostThatFallsSilentGetsNoSummary(TestBroker broker) throws Exception {
    // host-b was silent after window 1.
    assertThat(output(broker)).filteredOn(x -> "host-b".equals(x.getHostId()) && x.getWindowStartNs() > T0).isEmpty();
  }

  static WorkloadSummary find(List<WorkloadSummary> out, long start, long size, Scope scope, String host) {
    List<WorkloadSummary> m = out.stream().filter(x -> x.getWindowStartNs() == start && x.getWindowSizeNs() == size
        && x.getScope() == scope && (host == null || host.equals(x.getHostId()))).collect(Collectors.toList());
    assertThat(m).as("%s %s %s %s", start, size, scope, host).hasSize(1);
    return m.get(0);
  }

  static FigureChange change(WorkloadSummary s, String figure) {
    return s.getChanges().stream().filter(c -> c.getFigure().equals(figure)).findFirst().orElseThrow();
  }
}

package dev.bpfstream.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.bpfstream.broker.EmbeddedKafkaBroker;
import dev.bpfstream.broker.LoopbackKeyStore;
import dev.bpfstream.schema.Topic;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrading the stack keeps its state. `bpfstream up` of release {@value StackFixedInput#RELEASE}
 * was stopped mid-stream (its jobs' state: windows, the 60 s rollup, baselines, offsets) and this
 * release's stack starts on the same data directory: it takes over from that state.
 *
 * <p>The stack restores with unclaimed state ignored (a changed rules file removes alert operators),
 * so a renamed operator uid would drop its state in silence: here every operator state of the old
 * stack must find its operator. A failure means that an upgrade of the stack loses state (an uid or
 * a state layout of the workload, latency or alerts job changed without a migration). The summaries'
 * bytes are checked for each job on its own by SavepointUpgradeTest.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StandaloneUpgradeTest {
  @Test
  void theStackOfTheLastReleaseStoppedMidStreamIsTakenOverWithItsStateAndWritesNoWindowTwice(@TempDir Path tmp) throws Exception {
    Path release = Path.of(StandaloneUpgradeTest.class.getResource(StackFixedInput.RESOURCES + "/savepoint/_metadata").toURI()).getParent();
    // Where the stack keeps its checkpoints: <data dir>/flink/<job id>/chk-<n>.
    Path checkpoints = tmp.resolve("data/flink");
    MakeStackUpgradeResources.copy(release, checkpoints.resolve("0000000000000000000000000087e067/chk-1"));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    LocalJobs.build(env, Map.of("bootstrap.servers", "127.0.0.1:9"), StackFixedInput.WINDOW, null);
    Set<OperatorID> operators = operatorIds(env.getStreamGraph().getJobGraph());
    List<String> unclaimed = stateful(release).stream().filter(s -> !operators.contains(s.getOperatorID()))
        .map(s -> s.getOperatorID() + " (" + s.getStateSize() + " bytes)").toList();
    assertThat(unclaimed).as("state of release " + StackFixedInput.RELEASE + "'s stack that no operator of this stack takes over "
        + "(an operator uid changed or went away): an upgrade would drop it").isEmpty();

    List<String> before = StackFixedInput.resourceLines("before.txt");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(tmp.resolve("kafka"))) {
      Map<String, Object> client = broker.clientProperties();
      StandaloneStack.createTopics(client);
      StackFixedInput.write(client, StackFixedInput.Part.WHOLE);
      LocalJobs jobs = LocalJobs.start(Map.of("bootstrap.servers", broker.bootstrapServers()), StackFixedInput.WINDOW, checkpoints, null,
          LoopbackKeyStore.create(tmp.resolve("tls.p12"), "upgrade-test"), 0, 0);
      List<String> after;
      try {
        assertThat(jobs.restoredFrom()).as("the stack took over from the release's state").isPresent();
        StackFixedInput.awaitCaughtUp(client);
        // The 60 s rollup of each host and of the fleet was open at the stop: written once its window closes.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (rollups(after = StackFixedInput.summaries(client)).size() < 4 && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
        Thread.sleep(3_000);
        after = StackFixedInput.summaries(client);
        assertThat(jobs.client().getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
      } finally {
        jobs.close();
      }
      Map<String, Long> counts = after.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
      assertThat(counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
          .as("written more than once after the restore").isEmpty();
      Set<String> old = new HashSet<>(before);
      assertThat(after.stream().filter(old::contains).toList())
          .as("committed by the release before its stop and written AGAIN after the takeover (offsets or watermark lost)").isEmpty();
      assertThat(rollups(after)).as("the rollups open at the stop (3 hosts and the fleet), written after the takeover")
          .hasSize(4);
      assertThat(before.stream().filter(s -> s.contains("/60s@")).toList()).as("no rollup was closed before the stop").isEmpty();
    }
  }

  private static List<String> rollups(List<String> summaries) {
    return summaries.stream().filter(s -> s.startsWith(Topic.WORKLOAD.topicName() + " ") && s.contains("/all/60s@")).toList();
  }

  private static List<OperatorState> stateful(Path savepoint) throws Exception {
    try (InputStream in = Files.newInputStream(savepoint.resolve("_metadata"))) {
      CheckpointMetadata m = Checkpoints.loadCheckpointMetadata(new DataInputStream(in), StandaloneUpgradeTest.class.getClassLoader(),
          savepoint.toUri().toString());
      List<OperatorState> states = m.getOperatorStates().stream().filter(s -> s.getStateSize() > 0 || s.getCoordinatorState() != null).toList();
      assertThat(states).as("operator states in the release's savepoint").hasSizeGreaterThan(10);
      return states;
    }
  }

  private static Set<OperatorID> operatorIds(JobGraph graph) {
    Set<OperatorID> ids = new HashSet<>();
    for (JobVertex v : graph.getVertices()) {
      for (OperatorIDPair p : v.getOperatorIDs()) {
        ids.add(p.getGeneratedOperatorID());
        p.getUserDefinedOperatorID().ifPresent(ids::add);
      }
    }
    return ids;
  }
}

package dev.bpfstream.jobs.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.testing.FlinkCluster;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Upgrades keep their state. A savepoint of each job, taken with release {@value UpgradeRuns#RELEASE}
 * mid-stream over the {@link FixedInput} (windows, a rollup, baselines, alerts and bursts open), is
 * restored into the job of this code, which reads the rest of the input: together with what the old
 * release had committed before its savepoint, the output is the golden output of an undisturbed run,
 * every record exactly once, byte for byte.
 *
 * <p>A failure means that a user who upgrades from that release with a savepoint loses state or
 * gets a window twice: an operator uid or a state name changed, or a state serializer changed its
 * bytes without a new snapshot version that migrates the old ones. Fix the code, not the resources
 * (they are the old release's state; see {@code src/test/resources/upgrade/README.md}).
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SavepointUpgradeTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.extension();

  @ParameterizedTest(name = "{0}")
  @EnumSource(FixedInput.Job.class)
  void aSavepointOfTheLastReleaseRestoresAndItsOutputContinuesWithoutAWindowMissingOrDoubled(FixedInput.Job job, TestBroker broker,
                                                                                             @TempDir Path tmp) throws Exception {
    Map<String, Object> client = broker.clientProperties();
    List<UpgradeRuns.Output> golden = UpgradeRuns.resourceLines(UpgradeRuns.goldenResource(job));
    List<UpgradeRuns.Output> before = UpgradeRuns.resourceLines(UpgradeRuns.savepointResource(job) + "/before.txt");
    Map<String, UpgradeRuns.Output> goldenById = byIdentity(golden);
    assertThat(before).as("the release's output before its savepoint: part of the golden, not all of it (test resources)")
        .isNotEmpty().hasSizeLessThan(golden.size()).allSatisfy(b -> assertThat(goldenById).containsKey(b.identity()));
    Map<String, UpgradeRuns.Output> expectedAfter = new HashMap<>(goldenById);
    before.forEach(b -> expectedAfter.remove(b.identity()));

    FixedInput.write(client, job, FixedInput.Part.WHOLE);
    URL savepoint = getClass().getResource(UpgradeRuns.savepointResource(job) + "/savepoint/_metadata");
    assertThat(savepoint).as("savepoint of release " + UpgradeRuns.RELEASE + " in the test resources").isNotNull();
    Path copy = tmp.resolve("savepoint");
    MakeUpgradeResources.copyTree(Path.of(savepoint.toURI()).getParent(), copy);
    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, copy.toUri().toString());
    // Every operator state of the old release must find its operator: no state dropped in silence.
    restore.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);

    String run = "restored-" + UUID.randomUUID().toString().substring(0, 8);
    JobSettings s = FixedInput.settings(broker.bootstrapServers(), job, run);
    String out = UpgradeRuns.runTopic(client, job, "out");
    String dlq = UpgradeRuns.runTopic(client, job, "dlq");
    JobClient restored = UpgradeRuns.start(job, s, client, out, dlq, restore, job.id + "-restored");
    List<UpgradeRuns.Output> after;
    try {
      after = UpgradeRuns.awaitOutput(client, job, out, expectedAfter.size());
    } finally {
      restored.cancel().get(1, TimeUnit.MINUTES);
    }

    Map<String, Long> counts = after.stream().collect(Collectors.groupingBy(UpgradeRuns.Output::identity, Collectors.counting()));
    assertThat(counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
        .as("written more than once after the restore").isEmpty();
    assertThat(after.stream().map(UpgradeRuns.Output::identity).filter(id -> before.stream().anyMatch(b -> b.identity().equals(id))).toList())
        .as("closed and written by the old release before its savepoint, written AGAIN after the restore "
            + "(the restored watermark or window state was lost)").isEmpty();
    assertThat(expectedAfter.keySet().stream().filter(id -> !counts.containsKey(id)).sorted().toList())
        .as("in the golden output but never written after the restore (state open at the savepoint was dropped)").isEmpty();
    assertThat(counts.keySet().stream().filter(id -> !goldenById.containsKey(id)).sorted().toList())
        .as("written after the restore but not in the golden output").isEmpty();
    for (UpgradeRuns.Output o : after) {
      byte[] g = UpgradeRuns.asRestoredFromRelease(job, goldenById.get(o.identity()).bytes(), o.bytes());
      assertThat(o.bytes()).as(() -> o.identity() + " differs from the golden (state restored wrongly?): "
          + UpgradeRuns.difference(job, g, o.bytes())).isEqualTo(g);
    }
  }

  private static Map<String, UpgradeRuns.Output> byIdentity(List<UpgradeRuns.Output> l) {
    return l.stream().collect(Collectors.toMap(UpgradeRuns.Output::identity, Function.identity(), (a, b) -> {
      throw new IllegalStateException("two records of " + a.identity() + " in a test resource");
    }));
  }
}

package dev.bpfstream.jobs.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The output of each job over the {@link FixedInput} is byte for byte the golden output, which
 * release {@value UpgradeRuns#RELEASE} wrote (summaries; alerts of the built-in rules). No field is
 * left out: nothing in these records depends on the run.
 *
 * <p>A failure means a change altered what the jobs write for the same input: a performance change
 * must not. If the change of output is intended (a new field, a fixed figure), regenerate the golden
 * files as {@code src/test/resources/upgrade/README.md} says and explain the difference in the commit.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class GoldenOutputTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.extension();

  @ParameterizedTest(name = "{0}")
  @EnumSource(FixedInput.Job.class)
  void theOutputOverTheFixedInputIsByteForByteTheGolden(FixedInput.Job job, TestBroker broker) throws Exception {
    Map<String, Object> client = broker.clientProperties();
    List<UpgradeRuns.Output> golden = UpgradeRuns.resourceLines(UpgradeRuns.goldenResource(job));
    FixedInput.write(client, job, FixedInput.Part.WHOLE);
    JobSettings s = FixedInput.settings(broker.bootstrapServers(), job, "golden-" + UUID.randomUUID().toString().substring(0, 8));
    String out = UpgradeRuns.runTopic(client, job, "out");
    String dlq = UpgradeRuns.runTopic(client, job, "dlq");
    List<UpgradeRuns.Output> got;
    if (job == FixedInput.Job.ALERTS) {
      // The alerts job has no bounded mode: it runs until its output holds as many records as the golden.
      JobClient c = UpgradeRuns.start(job, s, client, out, dlq, new Configuration(), "alerts-golden");
      try {
        got = UpgradeRuns.awaitOutput(client, job, out, golden.size());
      } finally {
        c.cancel().get(1, TimeUnit.MINUTES);
      }
    } else {
      UpgradeRuns.start(job, s.withBounded(true), client, out, dlq, new Configuration(), job.id + "-golden")
          .getJobExecutionResult().get(3, TimeUnit.MINUTES);
      got = UpgradeRuns.readCommitted(client, job, out, l -> true, java.time.Duration.ZERO);
    }

    assertThat(UpgradeRuns.readDeadLetters(client, dlq)).as("dead letters over the fixed input").isEmpty();
    Map<String, UpgradeRuns.Output> want = golden.stream().collect(Collectors.toMap(UpgradeRuns.Output::identity, Function.identity()));
    List<String> differing = got.stream().filter(o -> want.containsKey(o.identity()) && !want.get(o.identity()).base64().equals(o.base64()))
        .map(o -> o.identity() + ": " + UpgradeRuns.difference(job, want.get(o.identity()).bytes(), o.bytes())).toList();
    assertThat(differing).as("records that differ from the golden (field by field)").isEmpty();
    assertThat(got.stream().map(UpgradeRuns.Output::identity).toList())
        .as("the records written (identities) against the golden's").isEqualTo(golden.stream().map(UpgradeRuns.Output::identity).toList());
    assertThat(got.stream().map(UpgradeRuns.Output::line).toList()).as("byte for byte").isEqualTo(golden.stream().map(UpgradeRuns.Output::line).toList());
  }
}

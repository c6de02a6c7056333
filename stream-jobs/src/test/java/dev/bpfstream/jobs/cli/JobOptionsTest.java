package dev.bpfstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import dev.bpfstream.jobs.JobSettings;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options of every Flink job: one name per setting, the old names kept as aliases. */
class JobOptionsTest {
  private static JobSettings settings(String... args) {
    JobOptions o = new JobOptions();
    new CommandLine(o).parseArgs(args);
    return o.settings("workload");
  }

  @Test
  void theAggregateJobsDefaults() {
    JobSettings s = settings();
    assertThat(s.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(s.startFromEarliest()).isTrue();
    assertThat(s.guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    assertThat(s.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.groupId()).isEqualTo("bpfstream-workload");
  }

  @Test
  void fromAndStartAreOneOption() {
    assertThat(settings("--from", "latest").startFromEarliest()).isFalse();
    assertThat(settings("--start", "latest").startFromEarliest()).isFalse();
    assertThat(settings("--from", "committed").startFromEarliest()).isFalse();
    assertThatThrownBy(() -> settings("--from", "yesterday")).hasMessage("--from must be earliest or latest, not 'yesterday'");
  }

  @Test
  void atLeastOnceIsDeliveryAtLeastOnce() {
    assertThat(settings("--at-least-once").guarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThat(settings("--delivery", "at-least-once").guarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThatThrownBy(() -> settings("--delivery", "twice")).hasMessage("--delivery must be exactly-once or at-least-once, not 'twice'");
  }

  @Test
  void kafkaSettingsComeFromTheSharedMixin() {
    JobSettings s = settings("--bootstrap", "k1:9092", "-X", "client.id=x", "--topic-prefix", "p.");
    assertThat(s.bootstrapServers()).isEqualTo("k1:9092");
    assertThat(s.kafkaProperties()).containsEntry("client.id", "x").containsEntry("bootstrap.servers", "k1:9092");
    assertThat(s.topicPrefix()).isEqualTo("p.");
  }
}

package dev.bpfstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every deployment's topics: created from the catalog, and an existing topic's settings brought back to it. */
@ExtendWith(KafkaBrokerExtension.class)
class TopicSetupTest {

  @Test
  void everyTopicIsCreatedWithItsCatalogSettingsAndARerunRepairsADriftedOne(TestBroker broker) throws Exception {
    String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    TopicSetup.Plan plan = new TopicSetup.Plan(prefix, 2, (short) 1, Map.of());
    try (Admin admin = Admin.create(broker.clientProperties())) {
      List<TopicSetup.Outcome> first = TopicSetup.ensure(admin, plan);

      assertThat(first).hasSize(Topic.values().length).allSatisfy(o -> assertThat(o.line()).startsWith("created "));
      assertThat(admin.describeTopics(List.of(plan.name(Topic.EXEC))).allTopicNames().get().get(plan.name(Topic.EXEC)).partitions()).hasSize(2);
      assertThat(config(admin, plan.name(Topic.NS_METADATA)).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
      assertThat(config(admin, plan.name(Topic.EXEC)).get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo(String.valueOf(24 * 3600 * 1000L));
      assertThat(config(admin, plan.name(Topic.WORKLOAD)).get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo(String.valueOf(7 * 24 * 3600 * 1000L));

      // As when something else (auto-creation, a hand-made topic) made the inventory without compaction.
      ConfigResource metadata = new ConfigResource(ConfigResource.Type.TOPIC, plan.name(Topic.NS_METADATA));
      admin.incrementalAlterConfigs(Map.of(metadata, List.of(new AlterConfigOp(
          new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete"), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);

      List<TopicSetup.Outcome> again = TopicSetup.ensure(admin, new TopicSetup.Plan(prefix, 4, (short) 1, Map.of()));

      assertThat(config(admin, plan.name(Topic.NS_METADATA)).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
      assertThat(again).filteredOn(o -> o.topic().equals(plan.name(Topic.NS_METADATA))).singleElement()
          .satisfies(o -> assertThat(o.line()).contains("cleanup.policy delete -> compact").contains("left as it is, not 4 partitions"));
      assertThat(admin.describeTopics(List.of(plan.name(Topic.EXEC))).allTopicNames().get().get(plan.name(Topic.EXEC)).partitions())
          .as("partitions of an existing topic are not changed").hasSize(2);
    }
  }

  private static Config config(Admin admin, String topic) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
  }
}

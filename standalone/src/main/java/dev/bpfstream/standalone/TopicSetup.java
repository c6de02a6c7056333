package dev.bpfstream.standalone;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.schema.Topic;
import dev.bpfstream.broker.TopicLeaders;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** Creates every topic of the catalog that is missing: one partition (one host), the inventory compacted. */
final class TopicSetup {
  private TopicSetup() {
  }

  static void ensure(Map<String, Object> clientProperties) throws Exception {
    try (Admin admin = Admin.create(clientProperties)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (Topic t : Topic.values()) {
        if (!existing.contains(t.topicName())) {
          NewTopic nt = new NewTopic(t.topicName(), 1, (short) 1);
          if (t.cleanup() == Topic.Cleanup.COMPACT) {
            nt.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
          } else {
            nt.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(TimeUnit.HOURS.toMillis(24)),
                TopicConfig.RETENTION_BYTES_CONFIG, String.valueOf(1L << 30)));
          }
          missing.add(nt);
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
        TopicLeaders.await(admin, missing.stream().map(NewTopic::name).toList(), 60_000);
      }
    }
  }
}

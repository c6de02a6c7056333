package dev.bpfstream.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates the topics of the {@link Topic} catalog, the one way every deployment does it (the
 * standalone stack, {@code bpfstream topics create}, the compose init service and the Kubernetes
 * Job): each topic with the catalog's settings ({@link Topic#configs()}), the partitions and
 * replication asked for, and {@code min.insync.replicas} 2 where there are 3 replicas or more. A topic
 * that exists keeps its partitions (changing them would move hosts between partitions); its settings
 * are brought back to the catalog's where they differ (a namespace inventory auto-created without
 * compaction is compacted), and every difference is reported.
 */
public final class TopicSetup {
  private TopicSetup() {
  }

  /** What was done to one topic, as one line for the operator. */
  public record Outcome(String topic, String line) {
  }

  /** The settings of one run. {@code extraConfigs} are added to every topic (the standalone stack bounds each by size). */
  public record Plan(String prefix, int partitions, short replicationFactor, Map<String, String> extraConfigs) {
    public Plan {
      if (partitions < 1) {
        throw new IllegalArgumentException("--partitions must be at least 1, not " + partitions);
      }
      if (replicationFactor < 1) {
        throw new IllegalArgumentException("--replication-factor must be at least 1, not " + replicationFactor);
      }
    }

    /** Every setting {@code t} is created with. */
    public Map<String, String> configs(Topic t) {
      Map<String, String> c = new HashMap<>(t.configs());
      c.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas(replicationFactor)));
      c.putAll(extraConfigs);
      return c;
    }

    public String name(Topic t) {
      return prefix + t.topicName();
    }
  }

  /** 2 of 3 (or more) replicas must have a write before it is acknowledged to acks=all; with fewer, 1. */
  public static int minInsyncReplicas(int replicationFactor) {
    return replicationFactor >= 3 ? 2 : 1;
  }

  /** Creates what is missing, aligns the settings of what exists, waits until every partition is served. */
  public static List<Outcome> ensure(Admin admin, Plan plan) throws Exception {
    Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
    List<NewTopic> missing = new ArrayList<>();
    List<Outcome> out = new ArrayList<>();
    List<Topic> present = new ArrayList<>();
    for (Topic t : Topic.values()) {
      if (existing.contains(plan.name(t))) {
        present.add(t);
      } else {
        missing.add(new NewTopic(plan.name(t), plan.partitions(), plan.replicationFactor()).configs(plan.configs(t)));
        out.add(new Outcome(plan.name(t), "created " + plan.name(t) + " (" + plan.partitions() + " partitions, replication "
            + plan.replicationFactor() + ", " + describe(plan.configs(t)) + ")"));
      }
    }
    if (!missing.isEmpty()) {
      admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
    }
    if (!present.isEmpty()) {
      out.addAll(align(admin, plan, present));
    }
    TopicLeaders.await(admin, java.util.Arrays.stream(Topic.values()).map(plan::name).toList(), 60_000);
    return out;
  }

  private static List<Outcome> align(Admin admin, Plan plan, List<Topic> topics) throws Exception {
    List<String> names = topics.stream().map(plan::name).toList();
    Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS);
    List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(60, TimeUnit.SECONDS);
    Map<ConfigResource, java.util.Collection<AlterConfigOp>> changes = new HashMap<>();
    List<Outcome> out = new ArrayList<>();
    for (Topic t : topics) {
      String name = plan.name(t);
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, name);
      List<String> changed = new ArrayList<>();
      List<AlterConfigOp> ops = new ArrayList<>();
      // Only what the catalog says about the topic itself; min.insync.replicas and extras of another run are left as they are.
      for (Map.Entry<String, String> want : t.configs().entrySet()) {
        ConfigEntry have = configs.get(r).get(want.getKey());
        if (have == null || !want.getValue().equals(have.value())) {
          ops.add(new AlterConfigOp(new ConfigEntry(want.getKey(), want.getValue()), AlterConfigOp.OpType.SET));
          changed.add(want.getKey() + " " + (have == null ? "unset" : have.value()) + " -> " + want.getValue());
        }
      }
      if (!ops.isEmpty()) {
        changes.put(r, ops);
      }
      TopicDescription d = described.get(name);
      int partitions = d.partitions().size();
      int replicas = d.partitions().get(0).replicas().size();
      StringBuilder line = new StringBuilder("exists  " + name + " (" + partitions + " partitions, replication " + replicas + ")");
      if (!changed.isEmpty()) {
        line.append("; set ").append(String.join(", ", changed));
      }
      if (partitions != plan.partitions() || replicas != plan.replicationFactor()) {
        line.append("; left as it is, not ").append(plan.partitions()).append(" partitions and replication ")
            .append(plan.replicationFactor()).append(" (kafka-topics.sh --alter and kafka-reassign-partitions.sh change them)");
      }
      out.add(new Outcome(name, line.toString()));
    }
    if (!changes.isEmpty()) {
      admin.incrementalAlterConfigs(changes).all().get(60, TimeUnit.SECONDS);
    }
    return out;
  }

  private static String describe(Map<String, String> configs) {
    List<String> parts = new ArrayList<>();
    if (TopicConfig.CLEANUP_POLICY_COMPACT.equals(configs.get(TopicConfig.CLEANUP_POLICY_CONFIG))) {
      parts.add("compacted");
    } else if (configs.containsKey(TopicConfig.RETENTION_MS_CONFIG)) {
      long h = Long.parseLong(configs.get(TopicConfig.RETENTION_MS_CONFIG)) / 3_600_000L;
      parts.add("retention " + (h % 24 == 0 ? h / 24 + "d" : h + "h"));
    }
    parts.add("min.insync.replicas " + configs.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG));
    return String.join(", ", parts);
  }
}

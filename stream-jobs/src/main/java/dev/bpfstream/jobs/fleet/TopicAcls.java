package dev.bpfstream.jobs.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import dev.bpfstream.schema.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on a deployment's topics, one principal per role, as Kafka ACLs (applied by
 * {@code topics create} when the cluster has an authorizer):
 * <ul>
 *   <li>collectors write the events they make ({@code bpf.*}, {@code ns.metadata}, {@code host.metrics},
 *       {@code collector.health}) and read nothing;</li>
 *   <li>jobs read every topic, write summaries ({@code agg.*}), alerts and dead letters, with their
 *       consumer groups and transactional ids ({@code bpfstream-*});</li>
 *   <li>viewers (the console, SQL users) read summaries, alerts and collector health, and the topics
 *       granted them on top; not raw events.</li>
 * </ul>
 */
public record TopicAcls(String prefix, String collector, String jobs, String viewer, List<String> viewerAlso) {
  /** Consumer groups and transactional ids of the jobs start with it (bpfstream-workload, ...). */
  static final String JOBS_IDS = "bpfstream-";
  /** Consumer groups of `sql` (bpfstream-sql-UUID). */
  static final String SQL_GROUPS = "bpfstream-sql-";

  static final List<Topic> COLLECTOR_WRITES = List.of(Topic.NS_METADATA, Topic.HOST_METRICS, Topic.HEALTH);
  static final List<Topic> JOBS_WRITE = List.of(Topic.ALERTS, Topic.DEAD_LETTER);
  static final List<Topic> VIEWER_READS = List.of(Topic.ALERTS, Topic.HEALTH);

  /** Every binding, in role order. */
  public List<AclBinding> bindings() {
    List<AclBinding> out = new ArrayList<>();
    // collector
    allow(out, collector, prefixedTopic("bpf."), AclOperation.WRITE, AclOperation.DESCRIBE);
    for (Topic t : COLLECTOR_WRITES) {
      allow(out, collector, topic(t.topicName()), AclOperation.WRITE, AclOperation.DESCRIBE);
    }
    // jobs
    for (Topic t : Topic.values()) {
      allow(out, jobs, topic(t.topicName()), AclOperation.READ, AclOperation.DESCRIBE);
    }
    allow(out, jobs, prefixedTopic("agg."), AclOperation.WRITE);
    for (Topic t : JOBS_WRITE) {
      allow(out, jobs, topic(t.topicName()), AclOperation.WRITE);
    }
    allow(out, jobs, new ResourcePattern(ResourceType.GROUP, JOBS_IDS, PatternType.PREFIXED), AclOperation.READ, AclOperation.DESCRIBE);
    allow(out, jobs, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, JOBS_IDS, PatternType.PREFIXED),
        AclOperation.WRITE, AclOperation.DESCRIBE);
    // viewer
    allow(out, viewer, prefixedTopic("agg."), AclOperation.READ, AclOperation.DESCRIBE);
    for (Topic t : VIEWER_READS) {
      allow(out, viewer, topic(t.topicName()), AclOperation.READ, AclOperation.DESCRIBE);
    }
    for (String t : viewerAlso) {
      allow(out, viewer, topic(Topic.byName(t).topicName()), AclOperation.READ, AclOperation.DESCRIBE);
    }
    allow(out, viewer, new ResourcePattern(ResourceType.GROUP, SQL_GROUPS, PatternType.PREFIXED), AclOperation.READ);
    return out;
  }

  /**
   * Creates the bindings (those there already stay as they are); false, and nothing done, when the
   * cluster has no authorizer.
   */
  public boolean apply(Admin admin) throws ExecutionException, InterruptedException {
    try {
      admin.describeAcls(AclBindingFilter.ANY).values().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SecurityDisabledException) {
        return false;
      }
      throw e;
    }
    admin.createAcls(bindings()).all().get();
    return true;
  }

  private ResourcePattern topic(String name) {
    return new ResourcePattern(ResourceType.TOPIC, prefix + name, PatternType.LITERAL);
  }

  private ResourcePattern prefixedTopic(String namePrefix) {
    return new ResourcePattern(ResourceType.TOPIC, prefix + namePrefix, PatternType.PREFIXED);
  }

  private static void allow(List<AclBinding> out, String principal, ResourcePattern resource, AclOperation... ops) {
    for (AclOperation op : ops) {
      out.add(new AclBinding(resource, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
    }
  }
}

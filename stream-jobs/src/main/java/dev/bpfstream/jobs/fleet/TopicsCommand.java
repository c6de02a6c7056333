package dev.bpfstream.jobs.fleet;

import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.bpfstream.options.KafkaClientOptions;
import dev.bpfstream.schema.TopicSetup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bpfstream topics create}: every topic of the catalog, as every deployment creates them. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "The topics of a deployment.",
    subcommands = {TopicsCommand.Create.class})
public final class TopicsCommand {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create every bpfstream topic that is missing, with its cleanup policy and retention (ns.metadata compacted), "
          + "and bring the settings of those that exist back to them. Partitions and replication of existing topics are left as they are. "
          + "On a cluster with an authorizer, also grant each role its ACLs: collectors write bpf.*, ns.metadata, host.metrics and "
          + "collector.health; jobs read every topic and write agg.*, alerts and the dead letters (groups and transactional ids bpfstream-*); "
          + "viewers read agg.*, alerts and collector.health (groups bpfstream-sql-*).")
  static final class Create implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--partitions", defaultValue = "6",
        description = "Partitions per topic: about one per 50-100 hosts, and at least the jobs' parallelism (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "3",
        description = "Replicas per partition; with 3 or more, min.insync.replicas is 2 (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--collector-principal", defaultValue = "User:collector", paramLabel = "PRINCIPAL",
        description = "The collectors' Kafka principal (default: ${DEFAULT-VALUE}).")
    String collectorPrincipal;

    @Option(names = "--jobs-principal", defaultValue = "User:jobs", paramLabel = "PRINCIPAL",
        description = "The Flink jobs' Kafka principal (default: ${DEFAULT-VALUE}).")
    String jobsPrincipal;

    @Option(names = "--viewer-principal", defaultValue = "User:viewer", paramLabel = "PRINCIPAL",
        description = "The viewers' Kafka principal: the console, SQL users (default: ${DEFAULT-VALUE}).")
    String viewerPrincipal;

    @Option(names = "--viewer-also-reads", split = ",", paramLabel = "TOPIC",
        description = "Raw topics viewers may read too, e.g. bpf.profile,ns.metadata for the console's Profile and Namespaces pages (default: none).")
    java.util.List<String> viewerAlso = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
      TopicAcls acls = new TopicAcls(kafka.topicPrefix(), collectorPrincipal, jobsPrincipal, viewerPrincipal, viewerAlso);
      acls.bindings(); // an unknown topic in --viewer-also-reads is refused before anything is done
      TopicSetup.Plan plan = new TopicSetup.Plan(kafka.topicPrefix(), partitions, replicationFactor, java.util.Map.of());
      Properties p = kafka.clientProperties();
      p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
      try (Admin admin = Admin.create(p)) {
        for (TopicSetup.Outcome o : TopicSetup.ensure(admin, plan)) {
          spec.commandLine().getOut().println(o.line());
        }
        spec.commandLine().getOut().println(acls.apply(admin)
            ? "acls: " + collectorPrincipal + " writes events, " + jobsPrincipal + " reads all and writes summaries, alerts and dead letters, "
                + viewerPrincipal + " reads summaries, alerts and health" + (viewerAlso.isEmpty() ? "" : " and " + String.join(", ", viewerAlso))
            : "acls: none (the cluster has no authorizer: every client it lets in may read and write every topic)");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
          throw new IllegalStateException("no Kafka answered at " + kafka.bootstrapServers() + " within 60 s: is it up? (--bootstrap-servers)");
        }
        throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " did not answer within 60 s: " + e.getMessage());
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}

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
          + "and bring the settings of those that exist back to them. Partitions and replication of existing topics are left as they are.")
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

    @Override
    public Integer call() throws Exception {
      TopicSetup.Plan plan = new TopicSetup.Plan(kafka.topicPrefix(), partitions, replicationFactor, java.util.Map.of());
      Properties p = kafka.clientProperties();
      p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
      try (Admin admin = Admin.create(p)) {
        for (TopicSetup.Outcome o : TopicSetup.ensure(admin, plan)) {
          spec.commandLine().getOut().println(o.line());
        }
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

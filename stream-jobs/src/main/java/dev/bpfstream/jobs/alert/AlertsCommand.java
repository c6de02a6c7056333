package dev.bpfstream.jobs.alert;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import dev.bpfstream.event.Alert;
import dev.bpfstream.options.DurationConverter;
import dev.bpfstream.jobs.FlinkTarget;
import dev.bpfstream.options.KafkaClientOptions;
import dev.bpfstream.jobs.alert.rule.Rule;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import dev.bpfstream.jobs.alert.rule.RulesException;
import dev.bpfstream.jobs.alert.rule.RulesParser;
import dev.bpfstream.schema.Topic;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bpfstream alerts run|check|tail}. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
    description = "Alert rules over the event and summary topics.",
    subcommands = {AlertsCommand.Run.class, AlertsCommand.Check.class, AlertsCommand.Tail.class})
public final class AlertsCommand {

  static final String BUILT_IN = "built-in conf/rules.yaml";

  /**
   * Parses a rules file (the built-in copy of conf/rules.yaml when null), printing every problem as
   * file:line: reason; null when it has problems.
   */
  public static RuleSet load(Path file, java.io.PrintWriter err) {
    try {
      if (file == null) {
        try (var in = AlertsCommand.class.getResourceAsStream("rules.yaml")) {
          return RulesParser.parse(BUILT_IN, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("cannot read the built-in rules", e);
        }
      }
      return RulesParser.parse(file);
    } catch (RulesException e) {
      e.errors().forEach(x -> err.println(x));
      err.println("alerts: " + (file == null ? BUILT_IN : file) + " refused (" + e.errors().size() + " problem"
          + (e.errors().size() == 1 ? "" : "s") + "); nothing started");
      err.flush();
      return null;
    }
  }

  static String name(Path file) {
    return file == null ? BUILT_IN : file.toString();
  }

  @Command(name = "check", mixinStandardHelpOptions = true, description = "Check a rules file and say what it holds.")
  static final class Check implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RULES", arity = "0..1", description = "The rules file (YAML); default: the built-in conf/rules.yaml.")
    Path rules;

    @Override
    public Integer call() {
      RuleSet set = load(rules, spec.commandLine().getErr());
      if (set == null) {
        return 2;
      }
      Map<String, Integer> kinds = new TreeMap<>();
      for (Rule r : set.rules()) {
        kinds.merge(r.kind(), 1, Integer::sum);
      }
      spec.commandLine().getOut().println(name(rules) + ": " + set.rules().size() + " rules " + kinds
          + ", reading " + set.inputTopics().stream().map(Topic::topicName).toList());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run the alerts job: rules from a file, alerts to the alerts topic (and a webhook).")
  static final class Run implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--rules", description = "The rules file (YAML); default: the built-in copy of conf/rules.yaml.")
    Path rules;

    @Option(names = "--group-id", defaultValue = "bpfstream-alerts", description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--from", defaultValue = "committed",
        description = "Where to start reading: committed (the group's offsets, else the end), earliest or latest (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--delivery", defaultValue = "at-least-once",
        description = "at-least-once or exactly-once (transactional; alerts appear at checkpoints) (default: ${DEFAULT-VALUE}).")
    String delivery;

    @Option(names = "--checkpoint-interval", defaultValue = "10s", converter = DurationConverter.class, description = "Checkpoint interval (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(names = "--webhook", description = "Also POST every alert record as JSON to this URL.")
    URI webhook;

    @Option(names = "--webhook-attempts", defaultValue = "5", description = "Attempts per alert before it is counted as dropped (default: ${DEFAULT-VALUE}).")
    int webhookAttempts;

    @Option(names = "--jobmanager", description = "host:port of a Flink JobManager; default: a local loopback MiniCluster.")
    String jobManager;

    @Override
    public Integer call() throws Exception {
      var err = spec.commandLine().getErr();
      RuleSet set = load(rules, err);
      if (set == null) {
        return 2;
      }
      OffsetsInitializer start = switch (from) {
        case "earliest" -> OffsetsInitializer.earliest();
        case "latest" -> OffsetsInitializer.latest();
        case "committed" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST);
        default -> null;
      };
      DeliveryGuarantee guarantee = switch (delivery) {
        case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
        case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
        default -> null;
      };
      if (start == null || guarantee == null) {
        err.println("alerts run: " + (start == null ? "--from must be committed, earliest or latest" : "--delivery must be at-least-once or exactly-once"));
        return 2;
      }
      StreamExecutionEnvironment env = FlinkTarget.environment(jobManager);
      env.enableCheckpointing(checkpointInterval.toMillis());
      WebhookSink hook = webhook == null ? null
          : new WebhookSink(new WebhookClient.Settings(webhook, webhookAttempts, 200, 5_000, 5_000));
      new AlertJob(set,
          new KafkaInputs(kafka.clientProperties(), kafka.topicPrefix(), groupId, start),
          AlertJob.kafkaSink(kafka.clientProperties(), kafka.topic(Topic.ALERTS.topicName()), guarantee, groupId + "-alerts"),
          AlertJob.deadLetterSink(kafka.clientProperties(), kafka.topic(Topic.DEAD_LETTER.topicName()), guarantee, groupId + "-dlq"),
          hook).build(env);
      spec.commandLine().getOut().println("alerts: " + set.rules().size() + " rules from " + name(rules) + ", reading "
          + set.inputTopics().stream().map(t -> kafka.topic(t.topicName())).toList() + ", writing " + kafka.topic(Topic.ALERTS.topicName()));
      spec.commandLine().getOut().flush();
      env.execute("bpfstream alerts (" + (rules == null ? "built-in rules" : rules.getFileName()) + ")");
      return 0;
    }
  }

  @Command(name = "tail", mixinStandardHelpOptions = true, description = "Print the alert feed as it comes.")
  static final class Tail implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--from-beginning", description = "Start with the oldest alert on the topic, not the next new one.")
    boolean fromBeginning;

    @Option(names = "--rule", description = "Only this rule's alerts.")
    String rule;

    @Option(names = "--no-evidence", description = "One line per alert, without its evidence.")
    boolean noEvidence;

    @Option(names = "--json", description = "Print each alert as one JSON line.")
    boolean json;

    @Option(names = "--max", defaultValue = "0", description = "Stop after this many alerts (0: never).")
    long max;

    @Option(names = "--idle-exit", converter = DurationConverter.class, description = "Stop after this long without a new alert, e.g. 30s.")
    Duration idleExit;

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      long[] shown = {0};
      long lastNews = System.nanoTime();
      try (AlertFeed feed = new AlertFeed(kafka.clientProperties(), kafka.topic(Topic.ALERTS.topicName()), fromBeginning)) {
        while (!Thread.currentThread().isInterrupted() && (max == 0 || shown[0] < max)) {
          int n = feed.poll(Duration.ofMillis(500), a -> rule == null || rule.equals(a.getRuleId()), (Alert a) -> {
            if (max == 0 || shown[0] < max) {
              out.println(json ? AlertJson.toJson(a) : AlertLine.format(a, !noEvidence));
              shown[0]++;
            }
          }, msg -> err.println("alerts tail: " + msg));
          out.flush();
          err.flush();
          if (n > 0) {
            lastNews = System.nanoTime();
          } else if (idleExit != null && System.nanoTime() - lastNews > idleExit.toNanos()) {
            break;
          }
        }
        return feed.unreadable() == 0 ? 0 : 1;
      }
    }
  }
}

package dev.bpfstream.jobs.alert;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import dev.bpfstream.event.Alert;
import dev.bpfstream.options.DurationConverter;
import dev.bpfstream.jobs.FlinkTarget;
import dev.bpfstream.jobs.JobEnvironment;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.options.KafkaClientOptions;
import dev.bpfstream.jobs.alert.rule.Rule;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import dev.bpfstream.jobs.alert.rule.RulesException;
import dev.bpfstream.jobs.alert.rule.RulesParser;
import dev.bpfstream.jobs.cli.JobOptions;
import dev.bpfstream.schema.Topic;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
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

  @Command(name = "run", mixinStandardHelpOptions = true, defaultValueProvider = Run.Defaults.class,
      description = "Run the alerts job: rules from a file, alerts to the alerts topic (and a webhook).")
  static final class Run implements Callable<Integer> {
    static final String NAME = "alerts";

    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions options;

    @Option(names = "--rules", description = "The rules file (YAML); default: the built-in copy of conf/rules.yaml.")
    Path rules;

    @Option(names = "--webhook", description = "Also POST every alert record as JSON to this URL.")
    URI webhook;

    @Option(names = "--webhook-attempts", defaultValue = "5", description = "Attempts per alert before it is counted as dropped (default: ${DEFAULT-VALUE}).")
    int webhookAttempts;

    @Option(names = "--jobmanager", description = "host:port of a Flink JobManager; default: a local loopback MiniCluster.")
    String jobManager;

    /**
     * Where the alerts job differs from the aggregate jobs: alerts are wanted at once (at-least-once,
     * so not held until a checkpoint), about what happens from the first start on (latest), and
     * checkpoints can be rarer.
     */
    static final class Defaults implements IDefaultValueProvider {
      @Override
      public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o)) {
          return null;
        }
        List<String> names = List.of(o.names());
        return names.contains("--checkpoint-interval") ? "10s"
            : names.contains("--from") ? "latest"
            : names.contains("--delivery") ? "at-least-once"
            : null;
      }
    }

    @Override
    public Integer call() throws Exception {
      var err = spec.commandLine().getErr();
      RuleSet set = load(rules, err);
      if (set == null) {
        return 2;
      }
      JobSettings s = options.settings(NAME);
      Configuration conf = JobEnvironment.configuration(s);
      conf.addAll(options.flinkConfiguration(NAME, System.err));
      StreamExecutionEnvironment env = FlinkTarget.environment(jobManager, conf);
      WebhookSink hook = webhook == null ? null
          : new WebhookSink(new WebhookClient.Settings(webhook, webhookAttempts, 200, 5_000, 5_000));
      AlertJob.fromKafka(set, s, hook).build(env);
      spec.commandLine().getOut().println("alerts: " + set.rules().size() + " rules from " + name(rules) + ", reading "
          + set.inputTopics().stream().map(s::topic).toList() + ", writing " + s.topic(Topic.ALERTS));
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

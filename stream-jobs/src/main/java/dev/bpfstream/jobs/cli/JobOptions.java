package dev.bpfstream.jobs.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.bpfstream.jobs.FlinkTarget;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.RetainedCheckpoints;
import dev.bpfstream.options.DurationConverter;
import dev.bpfstream.options.KafkaClientOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of every Flink job command ({@code workload}, {@code latency}, {@code alerts run}),
 * the same for a local run and a cluster submission. The defaults are the aggregate jobs'; a
 * command whose job wants others ({@code alerts run}) gives them by its default value provider.
 */
public final class JobOptions {
  /** Where a job run on the local MiniCluster checkpoints unless told (a cluster has its own state.checkpoints.dir). */
  public static final String LOCAL_CHECKPOINTS = "file:///tmp/bpfstream-checkpoints";

  @Mixin
  KafkaClientOptions kafka;

  @Option(names = "--checkpoint-interval", defaultValue = "1s", converter = DurationConverter.class,
      description = "Checkpoints; transactional output becomes visible (read_committed) at each (default ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Option(names = "--checkpoint-dir",
      description = "Durable checkpoint directory (URI); the job checkpoints under <dir>/<job>. Default: on a cluster (flink run, jobs submit) "
          + "the cluster's state.checkpoints.dir; on the local MiniCluster " + LOCAL_CHECKPOINTS + ". The last checkpoint is kept on cancel, for --restore-from.")
  String checkpointDir;

  @Option(names = "--restore-from", description = "Checkpoint or savepoint path to restore from, or 'latest': the newest "
      + "completed checkpoint under <checkpoint-dir>/<job>, if there is one (else the job starts from its committed offsets).")
  String restoreFrom;

  @Option(names = "--group-id", description = "Kafka consumer group (default bpfstream-<job>).")
  String groupId;

  @Option(names = "--transactional-id-prefix", description = "Prefix of the sink's Kafka transactional ids; unique per job (default bpfstream-<job>).")
  String transactionalIdPrefix;

  @Option(names = {"--from", "--start"}, defaultValue = "earliest", paramLabel = "earliest|latest",
      description = "A job without a checkpoint continues from its group's committed offsets; where the group has none "
          + "(a bounded run: everywhere) it starts at the earliest or latest offset (default ${DEFAULT-VALUE}; committed: the same as latest).")
  String from;

  @Option(names = "--delivery", defaultValue = "exactly-once", paramLabel = "exactly-once|at-least-once",
      description = "exactly-once: output in Kafka transactions, visible at each checkpoint; at-least-once: at once, "
          + "duplicates possible after a failure (default ${DEFAULT-VALUE}).")
  String delivery;

  @Option(names = "--parallelism", defaultValue = "1")
  int parallelism;

  @Option(names = "--flink-conf", description = "Extra Flink configuration key=value (repeatable).")
  Map<String, String> flinkConf = new HashMap<>();

  @Option(names = "--at-least-once", description = "The same as --delivery at-least-once.")
  boolean atLeastOnce;

  /** The settings of {@code job}, windows and event time at their defaults (see {@link WindowOptions}). */
  public JobSettings settings(String job) {
    boolean earliest = switch (from) {
      case "earliest" -> true;
      case "latest", "committed" -> false;
      default -> throw new IllegalArgumentException("--from must be earliest or latest, not '" + from + "'");
    };
    DeliveryGuarantee guarantee = switch (atLeastOnce ? "at-least-once" : delivery) {
      case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
      case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
      default -> throw new IllegalArgumentException("--delivery must be exactly-once or at-least-once, not '" + delivery + "'");
    };
    Map<String, String> client = kafka.clientConfig();
    JobSettings d = JobSettings.defaults(client.get("bootstrap.servers"), job);
    return new JobSettings(d.bootstrapServers(), Map.copyOf(client), kafka.topicPrefix(), d.window(), d.rollup(), d.eventTime(),
        checkpointInterval, groupId != null ? groupId : d.groupId(),
        transactionalIdPrefix != null ? transactionalIdPrefix : d.transactionalIdPrefix(),
        earliest, false, parallelism, guarantee);
  }

  /** Flink settings of {@code job}; {@code --restore-from latest} is resolved here, and says what it found. */
  public Configuration flinkConfiguration(String job, PrintStream log) throws IOException {
    return flinkConfiguration(job, log, FlinkTarget.insideCluster());
  }

  /** @param onCluster the job is submitted to a cluster, whose state.checkpoints.dir applies unless --checkpoint-dir is given */
  public Configuration flinkConfiguration(String job, PrintStream log, boolean onCluster) throws IOException {
    Configuration c = Configuration.fromMap(flinkConf);
    String dir = checkpointDir != null ? checkpointDir : onCluster ? null : LOCAL_CHECKPOINTS;
    String jobCheckpoints = dir == null ? null : dir.replaceAll("/+$", "") + "/" + job;
    if (jobCheckpoints != null) {
      c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, jobCheckpoints);
    }
    c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    if ("latest".equals(restoreFrom)) {
      if (jobCheckpoints == null) {
        throw new IllegalArgumentException("--restore-from latest on a cluster needs --checkpoint-dir (the directory the job checkpoints to)");
      }
      Optional<RetainedCheckpoints.Retained> newest = RetainedCheckpoints.newest(jobCheckpoints);
      if (newest.isPresent()) {
        log.println(job + ": restoring from " + newest.get().path());
        c.set(StateRecoveryOptions.SAVEPOINT_PATH, newest.get().path().toString());
      } else {
        log.println(job + ": no completed checkpoint under " + jobCheckpoints + ", starting from the group's committed offsets (--from " + from + " where it has none); "
            + "windows open at the last stop lose what was read before it");
      }
    } else if (restoreFrom != null) {
      c.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
    }
    return c;
  }
}

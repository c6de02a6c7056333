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
import dev.bpfstream.jobs.source.EventTimeSettings;
import dev.bpfstream.options.DurationConverter;
import dev.bpfstream.options.DurationOrOffConverter;
import dev.bpfstream.options.KafkaClientOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every aggregate job takes, the same for a local run and a cluster submission. */
public final class JobOptions {
  /** Where a job run on the local MiniCluster checkpoints unless told (a cluster has its own state.checkpoints.dir). */
  public static final String LOCAL_CHECKPOINTS = "file:///tmp/bpfstream-checkpoints";

  @Mixin
  KafkaClientOptions kafka;

  @Option(names = "--window", defaultValue = "10s", converter = DurationConverter.class,
      description = "Tumbling window (default ${DEFAULT-VALUE}).")
  Duration window;

  @Option(names = "--rollup", defaultValue = "1m", converter = DurationConverter.class,
      description = "Rollup window, a multiple of --window (workload; default ${DEFAULT-VALUE}).")
  Duration rollup;

  @Option(names = "--max-out-of-orderness", defaultValue = "500ms", converter = DurationConverter.class,
      description = "How late an event may arrive and still count (default ${DEFAULT-VALUE}).")
  Duration outOfOrderness;

  @Option(names = "--idle-timeout", defaultValue = "2s", converter = DurationConverter.class,
      description = "A partition silent this long no longer holds windows back (default ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(names = "--max-ahead", defaultValue = "5m", converter = DurationOrOffConverter.class,
      description = "An event further ahead of this job's clock is dead-lettered (FUTURE), so one host whose clock runs "
          + "ahead cannot move the watermark and make the other hosts' events late; off or 0: no limit (default ${DEFAULT-VALUE}).")
  Duration maxAhead;

  @Option(names = "--checkpoint-interval", defaultValue = "1s", converter = DurationConverter.class,
      description = "Checkpoints; summaries become visible (read_committed) at each (default ${DEFAULT-VALUE}).")
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

  @Option(names = "--start", defaultValue = "earliest", description = "Where a job without a checkpoint starts on a partition its group has no committed offset for "
      + "(a bounded run: on every partition): earliest or latest (default ${DEFAULT-VALUE}).")
  String start;

  @Option(names = "--bounded", description = "Read up to the offsets current at start, emit every window, finish (backfills, benchmarks).")
  boolean bounded;

  @Option(names = "--parallelism", defaultValue = "1")
  int parallelism;

  @Option(names = "--at-least-once", description = "Non-transactional output: lower latency, duplicates possible after a failure.")
  boolean atLeastOnce;

  @Option(names = "--flink-conf", description = "Extra Flink configuration key=value (repeatable).")
  Map<String, String> flinkConf = new HashMap<>();

  public JobSettings settings(String job) {
    if (!start.equals("earliest") && !start.equals("latest")) {
      throw new IllegalArgumentException("--start must be earliest or latest, not '" + start + "'");
    }
    Map<String, String> client = kafka.clientConfig();
    return new JobSettings(client.get("bootstrap.servers"), Map.copyOf(client), kafka.topicPrefix(), window, rollup,
        new EventTimeSettings(outOfOrderness, idleTimeout, maxAhead.isZero() ? null : maxAhead), checkpointInterval,
        groupId != null ? groupId : "bpfstream-" + job,
        transactionalIdPrefix != null ? transactionalIdPrefix : "bpfstream-" + job,
        start.equals("earliest"), bounded, parallelism,
        atLeastOnce ? DeliveryGuarantee.AT_LEAST_ONCE : DeliveryGuarantee.EXACTLY_ONCE);
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
        log.println(job + ": no completed checkpoint under " + jobCheckpoints + ", starting from the group's committed offsets (--start " + start + " where it has none); "
            + "windows open at the last stop lose what was read before it");
      }
    } else if (restoreFrom != null) {
      c.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
    }
    return c;
  }
}

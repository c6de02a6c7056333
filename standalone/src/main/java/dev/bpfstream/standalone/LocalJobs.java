package dev.bpfstream.standalone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import java.io.PrintWriter;
import java.util.Optional;

import dev.bpfstream.broker.LoopbackKeyStore;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.RetainedCheckpoints;
import dev.bpfstream.jobs.alert.AlertJob;
import dev.bpfstream.jobs.alert.AlertsCommand;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import org.apache.flink.connector.base.DeliveryGuarantee;
import dev.bpfstream.jobs.LocalFlink;
import dev.bpfstream.jobs.latency.LatencyJob;
import dev.bpfstream.jobs.workload.WorkloadJob;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.SecurityOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The stream jobs of the stack as one Flink job on a loopback MiniCluster in this JVM: workload
 * characterization, latency aggregates and alerts, with their checkpoints under the data dir.
 * A restart (after a stop or a crash) takes over from the newest completed checkpoint: window
 * state, baselines, open alerts and Kafka offsets, so a window open at the stop keeps what was read
 * before it and no summary is written twice. Delete {@code <data-dir>/flink} to start afresh.
 */
final class LocalJobs implements AutoCloseable {
  private static final String NAME = "bpfstream-standalone";

  private static final Logger log = LoggerFactory.getLogger(LocalJobs.class);

  private final JobClient client;
  private final Optional<Path> restoredFrom;

  private LocalJobs(JobClient client, Optional<Path> restoredFrom) {
    this.client = client;
    this.restoredFrom = restoredFrom;
  }

  /**
   * @param kafka       client properties: bootstrap servers and the broker's security settings
   * @param keyStore    the key of Flink's own connections (mutual TLS on its blob server and REST endpoint)
   * @param blobPort    port of the blob server on 127.0.0.1
   * @param restPort    port of the REST endpoint on 127.0.0.1
   */
  static LocalJobs start(Map<String, String> kafka, Duration window, Path checkpoints, Path rulesFile, LoopbackKeyStore keyStore,
                         int blobPort, int restPort) throws Exception {
    Configuration conf = LocalFlink.loopbackConfiguration();
    mutualTls(conf, keyStore);
    conf.set(BlobServerOptions.PORT, String.valueOf(blobPort));
    conf.set(RestOptions.BIND_PORT, String.valueOf(restPort));
    String dir = checkpoints.toUri().toString();
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
    conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    Optional<RetainedCheckpoints.Retained> newest = RetainedCheckpoints.newest(dir);
    if (newest.isPresent()) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, newest.get().path().toString());
      // A changed rules file adds or removes alert operators; the state of a removed one is dropped.
      conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
      int pruned = RetainedCheckpoints.pruneAllBut(dir, newest.get());
      log.info("jobs: resuming from checkpoint {} (older runs' checkpoints removed: {})", newest.get().path(), pruned);
    }
    // Flink's working files (its RPC jar, the MiniCluster's blobs) stay in the data directory, not
    // /tmp, where a killed process would leave them behind.
    conf.set(CoreOptions.TMP_DIRS, checkpoints.resolveSibling("tmp").toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    build(env, kafka, window, rulesFile);
    return new LocalJobs(env.executeAsync(NAME), newest.map(r -> Path.of(r.path().toUri())));
  }

  /**
   * The three jobs in one Flink job: their operators (uids) and state are what a checkpoint of the
   * stack holds, so that a newer release takes over from it (StandaloneUpgradeTest).
   */
  static void build(StreamExecutionEnvironment env, Map<String, String> kafka, Duration window, Path rulesFile) {
    env.enableCheckpointing(Math.max(1_000, window.toMillis() / 2));
    Duration rollup = window.multipliedBy(Math.max(1, 60_000 / window.toMillis()));
    String bootstrapServers = kafka.get("bootstrap.servers");
    WorkloadJob.fromKafka(JobSettings.defaults(bootstrapServers, "workload").withKafkaProperties(kafka).withWindow(window, rollup)).build(env);
    LatencyJob.fromKafka(JobSettings.defaults(bootstrapServers, "latency").withKafkaProperties(kafka).withWindow(window, rollup)).build(env);
    RuleSet rules = AlertsCommand.load(rulesFile, new PrintWriter(System.err, true));
    if (rules == null) {
      throw new IllegalArgumentException("the rules file has problems (listed above): fix it or leave --rules out for the built-in rules");
    }
    // As `alerts run` by default: from now on, each alert out at once.
    AlertJob.fromKafka(rules, JobSettings.defaults(bootstrapServers, "alerts").withKafkaProperties(kafka)
        .withStartAndDelivery(false, DeliveryGuarantee.AT_LEAST_ONCE),
        null).build(env);
  }

  /**
   * Flink's connections that leave its JVM components (the blob server, the REST endpoint; the RPC
   * of a MiniCluster stays in the JVM) take only peers holding the stack's key: mutual TLS 1.3.
   */
  static void mutualTls(Configuration conf, LoopbackKeyStore keyStore) {
    String path = keyStore.path().toString();
    conf.set(SecurityOptions.SSL_INTERNAL_ENABLED, true);
    conf.set(SecurityOptions.SSL_INTERNAL_KEYSTORE, path);
    conf.set(SecurityOptions.SSL_INTERNAL_KEYSTORE_PASSWORD, keyStore.password());
    conf.set(SecurityOptions.SSL_INTERNAL_KEY_PASSWORD, keyStore.password());
    conf.set(SecurityOptions.SSL_INTERNAL_TRUSTSTORE, path);
    conf.set(SecurityOptions.SSL_INTERNAL_TRUSTSTORE_PASSWORD, keyStore.password());
    conf.set(SecurityOptions.SSL_REST_ENABLED, true);
    conf.set(SecurityOptions.SSL_REST_AUTHENTICATION_ENABLED, true);
    conf.set(SecurityOptions.SSL_REST_KEYSTORE, path);
    conf.set(SecurityOptions.SSL_REST_KEYSTORE_PASSWORD, keyStore.password());
    conf.set(SecurityOptions.SSL_REST_KEY_PASSWORD, keyStore.password());
    conf.set(SecurityOptions.SSL_REST_TRUSTSTORE, path);
    conf.set(SecurityOptions.SSL_REST_TRUSTSTORE_PASSWORD, keyStore.password());
    // Flink's default suites need an RSA key; the stack's key is EC.
    conf.set(SecurityOptions.SSL_PROTOCOL, "TLSv1.3");
    conf.set(SecurityOptions.SSL_ALGORITHMS, "TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256");
  }

  String name() {
    return NAME;
  }

  /** The checkpoint this run took over from, if there was one. */
  Optional<Path> restoredFrom() {
    return restoredFrom;
  }

  JobClient client() {
    return client;
  }

  @Override
  public void close() throws Exception {
    client.cancel().get();
  }
}

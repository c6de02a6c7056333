package dev.bpfstream.schema;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.BlockIo;
import dev.bpfstream.event.BlockLatencyHistogram;
import dev.bpfstream.event.CacheStats;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.event.FileOpSlow;
import dev.bpfstream.event.FileOpen;
import dev.bpfstream.event.HostMetrics;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.event.ProfileSample;
import dev.bpfstream.event.RunqLatencyHistogram;
import dev.bpfstream.event.RunqLengthHistogram;
import dev.bpfstream.event.ShellCommand;
import dev.bpfstream.event.TcpEvent;
import dev.bpfstream.event.WorkloadSummary;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The one list of topics: name, record type and key. Every topic carries exactly one record type
 * in the project's wire format ({@link WireCodec}).
 */
public enum Topic {
  EXEC("bpf.exec", ProcessExec.class, Key.HOST, Cleanup.DELETE),
  EXIT("bpf.exit", ProcessExit.class, Key.HOST, Cleanup.DELETE),
  NS_LIFECYCLE("bpf.ns.lifecycle", NamespaceChange.class, Key.HOST, Cleanup.DELETE),
  NS_METADATA("ns.metadata", NamespaceMetadata.class, Key.HOST_NAMESPACE, Cleanup.COMPACT),
  OPEN("bpf.open", FileOpen.class, Key.HOST, Cleanup.DELETE),
  FILE_SLOW("bpf.fileslow", FileOpSlow.class, Key.HOST, Cleanup.DELETE),
  BLOCK_IO("bpf.blockio", BlockIo.class, Key.HOST, Cleanup.DELETE),
  BLOCK_HIST("bpf.blockio.hist", BlockLatencyHistogram.class, Key.HOST, Cleanup.DELETE),
  TCP("bpf.tcp", TcpEvent.class, Key.HOST, Cleanup.DELETE),
  RUNQ_HIST("bpf.runq.hist", RunqLatencyHistogram.class, Key.HOST, Cleanup.DELETE),
  RUNQ_LEN("bpf.runq.len", RunqLengthHistogram.class, Key.HOST, Cleanup.DELETE),
  PROFILE("bpf.profile", ProfileSample.class, Key.HOST, Cleanup.DELETE),
  CACHESTAT("bpf.cachestat", CacheStats.class, Key.HOST, Cleanup.DELETE),
  SHELL("bpf.shell", ShellCommand.class, Key.HOST, Cleanup.DELETE),
  HOST_METRICS("host.metrics", HostMetrics.class, Key.HOST, Cleanup.DELETE),
  HEALTH("collector.health", CollectorHealth.class, Key.HOST, Cleanup.DELETE),
  WORKLOAD("agg.workload", WorkloadSummary.class, Key.SUMMARY_SCOPE, Cleanup.DELETE),
  LATENCY("agg.latency", LatencySummary.class, Key.SUMMARY_SCOPE, Cleanup.DELETE),
  ALERTS("alerts", Alert.class, Key.ALERT_ID, Cleanup.DELETE),
  DEAD_LETTER("bpfstream.dlq", DeadLetter.class, Key.SOURCE, Cleanup.DELETE);

  /** What a record's Kafka key is. Keying by host keeps per-host order within a partition. */
  public enum Key {
    /** UTF-8 host id. */
    HOST,
    /** hostId/KIND/inode: a compacted topic keeps the newest record of each namespace. */
    HOST_NAMESPACE,
    /** scope/host/dimension of the summary. */
    SUMMARY_SCOPE,
    /** The alert id (rule and subject). */
    ALERT_ID,
    /** The source topic of the dead letter. */
    SOURCE
  }

  public enum Cleanup { DELETE, COMPACT }

  static {
    TrustedRecords.install();
  }

  private static final Map<String, Topic> BY_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(Topic::topicName, Function.identity()));
  private static final Map<Class<?>, Topic> BY_TYPE =
      Arrays.stream(values()).collect(Collectors.toMap(Topic::recordType, Function.identity()));

  private final String name;
  private final Class<? extends SpecificRecord> type;
  private final Key key;
  private final Cleanup cleanup;

  Topic(String name, Class<? extends SpecificRecord> type, Key key, Cleanup cleanup) {
    this.name = name;
    this.type = type;
    this.key = key;
    this.cleanup = cleanup;
  }

  /** The topic name, with an optional deployment-wide prefix applied by callers. */
  public String topicName() {
    return name;
  }

  public Class<? extends SpecificRecord> recordType() {
    return type;
  }

  public Schema schema() {
    return SpecificData.get().getSchema(type);
  }

  public Key key() {
    return key;
  }

  public Cleanup cleanup() {
    return cleanup;
  }

  /** How long a record stays: raw events and reports a day, what the jobs write (summaries, alerts, dead letters) a week. */
  public Duration retention() {
    return switch (this) {
      case WORKLOAD, LATENCY, ALERTS, DEAD_LETTER -> Duration.ofDays(7);
      default -> Duration.ofDays(1);
    };
  }

  /**
   * The topic-level settings every deployment creates this topic with ({@code TopicSetup}): its
   * cleanup policy (the namespace inventory is compacted: the newest record of each namespace stays,
   * however old) or its retention.
   */
  public Map<String, String> configs() {
    return cleanup == Cleanup.COMPACT
        ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
        : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention().toMillis()));
  }

  public static Topic byName(String name) {
    Topic t = BY_NAME.get(name);
    if (t == null) {
      throw new IllegalArgumentException("unknown topic '" + name + "'; known: " + BY_NAME.keySet());
    }
    return t;
  }

  public static Topic forType(Class<?> type) {
    Topic t = BY_TYPE.get(type);
    if (t == null) {
      throw new IllegalArgumentException("no topic carries " + type.getName());
    }
    return t;
  }
}

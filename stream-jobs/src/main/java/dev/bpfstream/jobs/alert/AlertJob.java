package dev.bpfstream.jobs.alert;

import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.alert.rule.PatternRule;
import dev.bpfstream.jobs.alert.rule.PatternSpec;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import dev.bpfstream.jobs.alert.rule.SummaryRule;
import dev.bpfstream.jobs.alert.rule.SummarySource;
import dev.bpfstream.jobs.sink.KafkaOutputs;
import dev.bpfstream.jobs.source.DeadLetterSplit;
import dev.bpfstream.jobs.source.KafkaInputs;
import dev.bpfstream.jobs.wire.DeadLetters;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The alerts job: rules over the summaries and raw event topics, one alert lifecycle per rule and
 * subject, to the alerts topic (and optionally a webhook). Reads only the topics its rules need;
 * a record of one of them that cannot be read goes to the dead-letter topic with the reason.
 */
public final class AlertJob {
  private static final TypeInformation<Observation> OBSERVATION = TypeInformation.of(Observation.class);

  private final RuleSet rules;
  private final KafkaInputs inputs;
  private final Sink<Alert> sink;
  private final Sink<DeadLetter> deadLetters;
  private final Sink<Alert> webhook;

  /**
   * @param inputs where each topic the rules need is read from
   * @param deadLetters where records of the input topics that cannot be read go
   * @param webhook null for none
   */
  public AlertJob(RuleSet rules, KafkaInputs inputs, Sink<Alert> sink, Sink<DeadLetter> deadLetters, Sink<Alert> webhook) {
    this.rules = rules;
    this.inputs = inputs;
    this.sink = sink;
    this.deadLetters = deadLetters;
    this.webhook = webhook;
  }

  /**
   * The job reading and writing the Kafka topics named by the settings: alerts keyed by alert id
   * (one alert's records in order in one partition), dead letters keyed by source topic.
   *
   * @param webhook null for none
   */
  public static AlertJob fromKafka(RuleSet rules, JobSettings s, Sink<Alert> webhook) {
    KafkaOutputs out = new KafkaOutputs(s.bootstrapServers(), s.kafkaProperties(), s.guarantee());
    return new AlertJob(rules, new KafkaInputs(s),
        out.sink(s.topic(Topic.ALERTS), Alert.class, Alert::getAlertId, s.transactionalIdPrefix() + "-alerts"),
        out.deadLetters(s.topic(Topic.DEAD_LETTER), s.transactionalIdPrefix() + "-dlq"), webhook);
  }

  public DataStream<Alert> build(StreamExecutionEnvironment env) {
    List<DataStream<Observation>> observations = new ArrayList<>();
    List<DataStream<DeadLetter>> unreadable = new ArrayList<>();
    Reader topics = new Reader(env, inputs, unreadable);

    List<SummaryRule> workload = rules.summaryRules(SummarySource.WORKLOAD);
    if (!workload.isEmpty()) {
      observations.add(topics.read(Topic.WORKLOAD, WorkloadSummary.class)
          .flatMap(new WorkloadObservations(workload), OBSERVATION).name("workload rules").uid("workload-rules"));
    }
    List<SummaryRule> latency = rules.summaryRules(SummarySource.LATENCY);
    if (!latency.isEmpty()) {
      observations.add(topics.read(Topic.LATENCY, LatencySummary.class)
          .flatMap(new LatencyObservations(latency), OBSERVATION).name("latency rules").uid("latency-rules"));
    }
    List<PatternRule> exec = new ArrayList<>(rules.patternRules(PatternSpec.ExecFromWorldWritableDir.class));
    exec.addAll(rules.patternRules(PatternSpec.SetuidRootExec.class));
    if (!exec.isEmpty()) {
      observations.add(topics.read(Topic.EXEC, ProcessExec.class)
          .flatMap(new ExecPatterns(exec), OBSERVATION).name("exec patterns").uid("exec-patterns"));
    }
    List<PatternRule> userns = rules.patternRules(PatternSpec.UserNamespaceRootMapping.class);
    List<PatternRule> setns = rules.patternRules(PatternSpec.SetnsIntoOtherContainer.class);
    if (!userns.isEmpty() || !setns.isEmpty()) {
      DataStream<NamespaceMetadata> metadata = topics.read(Topic.NS_METADATA, NamespaceMetadata.class);
      if (!userns.isEmpty()) {
        observations.add(metadata.flatMap(new UserNamespaceMapping(userns), OBSERVATION)
            .name("user namespace mapping").uid("userns-mapping"));
      }
      if (!setns.isEmpty()) {
        DataStream<NamespaceChange> changes = topics.read(Topic.NS_LIFECYCLE, NamespaceChange.class);
        observations.add(changes.keyBy(c -> c.getCtx().getHostId(), Types.STRING)
            .connect(metadata.keyBy(NamespaceMetadata::getHostId, Types.STRING))
            .process(new SetnsTargets(setns), OBSERVATION).name("setns targets").uid("setns-targets"));
      }
    }
    List<PatternRule> bursts = rules.patternRules(PatternSpec.ShortLivedBurst.class);
    if (!bursts.isEmpty()) {
      observations.add(topics.read(Topic.EXIT, ProcessExit.class)
          .flatMap(new ShortLivedExits(bursts), TypeInformation.of(ShortLivedExit.class)).name("short-lived exits").uid("short-lived")
          .keyBy(x -> x.key, Types.STRING)
          .process(new BurstDetector(rules), OBSERVATION).name("short-lived bursts").uid("bursts"));
    }
    if (!rules.absenceRules().isEmpty()) {
      observations.add(topics.read(Topic.HEALTH, CollectorHealth.class)
          .flatMap(new HealthBeats(rules.absenceRules()), TypeInformation.of(HealthBeat.class)).name("health beats").uid("health-beats")
          .keyBy(b -> b.key, Types.STRING)
          .process(new SilenceDetector(rules), OBSERVATION).name("collector silence").uid("silence"));
    }

    DataStream<Observation> all = observations.get(0);
    if (observations.size() > 1) {
      all = all.union(observations.subList(1, observations.size()).toArray(new DataStream[0]));
    }
    DataStream<Alert> alerts = all.keyBy(o -> o.alertId, Types.STRING)
        .process(new AlertTracker(new AlertLifecycle(rules)), new AvroTypeInfo<>(Alert.class))
        .name("alert lifecycle").uid("alert-lifecycle");
    alerts.sinkTo(sink).name("alerts topic").uid("alerts-sink");
    DataStream<DeadLetter> dead = unreadable.get(0);
    if (unreadable.size() > 1) {
      dead = dead.union(unreadable.subList(1, unreadable.size()).toArray(new DataStream[0]));
    }
    dead.sinkTo(deadLetters).name("dead letters").uid("dlq-sink");
    if (webhook != null) {
      alerts.sinkTo(webhook).name("webhook").uid("webhook-sink");
    }
    return alerts;
  }

  /** Reads each topic once and gathers the dead letters of all of them. */
  private record Reader(StreamExecutionEnvironment env, KafkaInputs inputs, List<DataStream<DeadLetter>> unreadable) {
    <T extends SpecificRecordBase> DataStream<T> read(Topic topic, Class<T> type) {
      SingleOutputStreamOperator<T> s = env.fromSource(inputs.records(topic, type), WatermarkStrategy.noWatermarks(), inputs.topicName(topic))
          .uid("source-" + topic.topicName())
          .process(new DeadLetterSplit<T>(), new AvroTypeInfo<>(type))
          .uid("readable-" + topic.topicName())
          .name("readable " + topic.topicName());
      unreadable.add(s.getSideOutput(DeadLetters.TAG));
      return s;
    }
  }
}

package dev.bpfstream.jobs.workload;

import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.sink.KafkaOutputs;
import dev.bpfstream.jobs.source.Decoded;
import dev.bpfstream.jobs.source.KafkaInputs;
import dev.bpfstream.jobs.window.PartialKey;
import dev.bpfstream.jobs.window.WindowedPipeline;
import dev.bpfstream.schema.Topic;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Workload characterization: who (top processes, users, containers, remote addresses), why (top
 * stacks), what (rates of exec, opens, I/O, TCP) and how it is changing, per host, per container
 * (or pid namespace) and fleet-wide, in tumbling windows and a rollup, as {@link WorkloadSummary} records.
 */
public final class WorkloadJob {
  public static final String NAME = "workload";

  private final JobSettings settings;
  private final Source<WorkloadObservation, ?, ?> events;
  private final Source<Decoded<CollectorHealth>, ?, ?> health;
  private final Sink<WorkloadSummary> summaries;
  private final Sink<DeadLetter> deadLetters;

  public WorkloadJob(JobSettings settings, Source<WorkloadObservation, ?, ?> events, Source<Decoded<CollectorHealth>, ?, ?> health,
                     Sink<WorkloadSummary> summaries, Sink<DeadLetter> deadLetters) {
    if (settings.rollup().toMillis() % settings.windowMs() != 0) {
      throw new IllegalArgumentException("rollup " + settings.rollup() + " must be a multiple of the window " + settings.window());
    }
    this.settings = settings;
    this.events = events;
    this.health = health;
    this.summaries = summaries;
    this.deadLetters = deadLetters;
  }

  public static WorkloadJob fromKafka(JobSettings s) {
    KafkaInputs in = new KafkaInputs(s);
    KafkaOutputs out = new KafkaOutputs(s.bootstrapServers(), s.kafkaProperties(), s.guarantee());
    return new WorkloadJob(s,
        in.observations(new WorkloadDecoder(s.topicPrefix(), s.effectiveEventTime().maxAhead())),
        in.health(),
        out.sink(s.topic(Topic.WORKLOAD), WorkloadSummary.class, WorkloadSummarizer::key, s.transactionalIdPrefix() + "-summaries"),
        out.deadLetters(s.topic(Topic.DEAD_LETTER), s.transactionalIdPrefix() + "-dlq"));
  }

  public void build(StreamExecutionEnvironment env) {
    TypeInformation<WorkloadAccumulator> type = WorkloadAccumulator.typeInfo();
    long window = settings.windowMs();
    long rollup = settings.rollup().toMillis();
    WindowedPipeline<WorkloadObservation, WorkloadAccumulator> p =
        new WindowedPipeline<>(NAME, new WorkloadFolder(), type, window, settings.effectiveEventTime()).build(env, events, health);
    DataStream<WorkloadAccumulator> hosts = p.hostWindows();
    DataStream<WorkloadAccumulator> fleet = p.merge(
        hosts.map(WorkloadAccumulator::toFleet).returns(type).name("fleet share"), window, NAME + "-fleet-windows");
    DataStream<WorkloadAccumulator> windows = hosts.union(fleet);
    AvroTypeInfo<WorkloadSummary> summaryType = new AvroTypeInfo<>(WorkloadSummary.class);
    DataStream<WorkloadSummary> out = windows
        .keyBy(new PartialKey<WorkloadAccumulator>())
        .process(new WorkloadSummarizer()).returns(summaryType)
        .uid(NAME + "-summarizer").name("workload summaries");
    if (rollup > window) {
      DataStream<WorkloadSummary> rolled = p.merge(windows, rollup, NAME + "-rollup-windows")
          .keyBy(new PartialKey<WorkloadAccumulator>())
          .process(new WorkloadSummarizer()).returns(summaryType)
          .uid(NAME + "-rollup-summarizer").name("workload rollup summaries");
      out = out.union(rolled);
    }
    out.sinkTo(summaries).uid(NAME + "-summaries-sink").name(NAME + " summaries");
    p.deadLetters().sinkTo(deadLetters).uid(NAME + "-dlq-sink").name(NAME + " dead letters");
  }
}

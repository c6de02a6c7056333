package dev.bpfstream.jobs.latency;

import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.sink.KafkaOutputs;
import dev.bpfstream.jobs.source.Decoded;
import dev.bpfstream.jobs.source.KafkaInputs;
import dev.bpfstream.jobs.window.WindowedPipeline;
import dev.bpfstream.schema.Topic;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Latency aggregates: block I/O service and queue time, run-queue, slow file-op and TCP-connect
 * latency per window, per host by device/namespace/container/op and fleet-wide, as
 * {@link LatencySummary} records with percentiles, the log2 histogram and the window's upstream losses.
 */
public final class LatencyJob {
  public static final String NAME = "latency";

  private final JobSettings settings;
  private final Source<LatencyObservation, ?, ?> events;
  private final Source<Decoded<CollectorHealth>, ?, ?> health;
  private final Sink<LatencySummary> summaries;
  private final Sink<DeadLetter> deadLetters;

  public LatencyJob(JobSettings settings, Source<LatencyObservation, ?, ?> events, Source<Decoded<CollectorHealth>, ?, ?> health,
                    Sink<LatencySummary> summaries, Sink<DeadLetter> deadLetters) {
    this.settings = settings;
    this.events = events;
    this.health = health;
    this.summaries = summaries;
    this.deadLetters = deadLetters;
  }

  /** The job reading and writing the Kafka topics named by the settings. */
  public static LatencyJob fromKafka(JobSettings s) {
    KafkaInputs in = new KafkaInputs(s);
    KafkaOutputs out = new KafkaOutputs(s.bootstrapServers(), s.kafkaProperties(), s.guarantee());
    return new LatencyJob(s,
        in.observations(new LatencyDecoder(s.topicPrefix(), s.effectiveEventTime().maxAhead())),
        in.health(),
        out.sink(s.topic(Topic.LATENCY), LatencySummary.class, LatencySummaries::key, s.transactionalIdPrefix() + "-summaries"),
        out.deadLetters(s.topic(Topic.DEAD_LETTER), s.transactionalIdPrefix() + "-dlq"));
  }

  public void build(StreamExecutionEnvironment env) {
    TypeInformation<LatencyAccumulator> type = LatencyAccumulator.typeInfo();
    WindowedPipeline<LatencyObservation, LatencyAccumulator> p =
        new WindowedPipeline<>(NAME, new LatencyFolder(), type, settings.windowMs(), settings.effectiveEventTime())
            .build(env, events, health);
    DataStream<LatencyAccumulator> fleet = p.merge(
        p.hostWindows().map(LatencyAccumulator::toFleet).returns(type).name("fleet share"),
        settings.windowMs(), NAME + "-fleet-windows");
    p.hostWindows().union(fleet)
        .flatMap(new LatencySummaries())
        .returns(new AvroTypeInfo<>(LatencySummary.class))
        .name("latency summaries")
        .sinkTo(summaries)
        .uid(NAME + "-summaries-sink")
        .name(NAME + " summaries");
    p.deadLetters()
        .sinkTo(deadLetters)
        .uid(NAME + "-dlq-sink")
        .name(NAME + " dead letters");
  }
}

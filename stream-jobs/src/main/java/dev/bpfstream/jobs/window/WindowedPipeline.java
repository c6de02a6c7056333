package dev.bpfstream.jobs.window;

import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.jobs.completeness.HealthLossTracker;
import dev.bpfstream.jobs.source.DeadLetterSplit;
import dev.bpfstream.jobs.source.Decoded;
import dev.bpfstream.jobs.source.EventTimeSettings;
import dev.bpfstream.jobs.source.HealthTime;
import dev.bpfstream.jobs.source.Observation;
import dev.bpfstream.jobs.wire.DeadLetters;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The front half shared by the aggregate jobs: observations are pre-aggregated per host and window
 * next to the source, merged per host with the losses from collector health, and merged again
 * fleet-wide. Late and unreadable records (of any input topic, health included) come out as dead letters.
 */
public final class WindowedPipeline<O extends Observation, A extends WindowPartial<A>> {
  private final String name;
  private final PartialFolder<O, A> folder;
  private final TypeInformation<A> type;
  private final long windowMs;
  private final EventTimeSettings eventTime;

  private DataStream<A> hostWindows;
  private DataStream<DeadLetter> deadLetters;

  public WindowedPipeline(String name, PartialFolder<O, A> folder, TypeInformation<A> type, long windowMs, EventTimeSettings eventTime) {
    this.name = name;
    this.folder = folder;
    this.type = type;
    this.windowMs = windowMs;
    this.eventTime = eventTime;
  }

  public WindowedPipeline<O, A> build(StreamExecutionEnvironment env, Source<O, ?, ?> events, Source<Decoded<CollectorHealth>, ?, ?> health) {
    SingleOutputStreamOperator<A> partials = env.fromSource(events, eventTime.<O>forObservations(), name + "-events")
        .uid(name + "-events")
        .transform("pre-aggregate", type, new PreAggregateOperator<>(folder, windowMs))
        .uid(name + "-pre-aggregate");
    SingleOutputStreamOperator<CollectorHealth> reports = env.fromSource(health, eventTime.strategy(new HealthTime()), name + "-health")
        .uid(name + "-health")
        .process(new DeadLetterSplit<CollectorHealth>(), new AvroTypeInfo<>(CollectorHealth.class))
        .uid(name + "-health-reports")
        .name("readable health reports");
    deadLetters = partials.getSideOutput(DeadLetters.TAG).union(reports.getSideOutput(DeadLetters.TAG));

    DataStream<A> losses = reports
        .keyBy(CollectorHealth::getHostId)
        .process(new HealthLossTracker(windowMs))
        .uid(name + "-loss-tracker")
        .name("losses from collector health")
        .map(new LossPartials<>(folder, windowMs))
        .returns(type)
        .name("loss partials");

    hostWindows = partials.union(losses)
        .keyBy(new PartialKey<A>())
        .process(new WindowMerger<>(windowMs, type))
        .returns(type)
        .uid(name + "-host-windows")
        .name("host windows");
    return this;
  }

  /** Merges aggregates (e.g. fleet shares of host windows) per key into windows of {@code sizeMs}. */
  public DataStream<A> merge(DataStream<A> in, long sizeMs, String uid) {
    return in.keyBy(new PartialKey<A>())
        .process(new WindowMerger<>(sizeMs, type))
        .returns(type)
        .uid(uid)
        .name(uid);
  }

  public DataStream<A> hostWindows() {
    return hostWindows;
  }

  public DataStream<DeadLetter> deadLetters() {
    return deadLetters;
  }
}

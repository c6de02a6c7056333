package dev.bpfstream.jobs.source;

import java.io.Serializable;
import java.time.Duration;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * How event time advances: bounded out-of-orderness per Kafka partition, and idleness so a silent
 * host or partition never holds windows back ({@code idleTimeout} null: no idleness).
 */
public record EventTimeSettings(Duration maxOutOfOrderness, Duration idleTimeout) implements Serializable {
  public static final EventTimeSettings DEFAULT = new EventTimeSettings(Duration.ofMillis(500), Duration.ofSeconds(2));

  public <T> WatermarkStrategy<T> strategy(SerializableTimestampAssigner<T> time) {
    WatermarkStrategy<T> w = WatermarkStrategy.<T>forBoundedOutOfOrderness(maxOutOfOrderness).withTimestampAssigner(time);
    return idleTimeout == null ? w : w.withIdleness(idleTimeout);
  }

  /**
   * Without idleness: for bounded runs over a backlog, where a partition not fetched for a while
   * (the consumer drains partitions in turn) must not be taken for a silent one and have its events
   * made late; a bounded input ends everywhere anyway.
   */
  public EventTimeSettings withoutIdleness() {
    return new EventTimeSettings(maxOutOfOrderness, null);
  }

  public <O extends Observation> WatermarkStrategy<O> forObservations() {
    return strategy(new ObservationTime<>());
  }
}

package dev.bpfstream.jobs.source;

import java.io.Serializable;
import java.time.Duration;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * How event time advances: bounded out-of-orderness per Kafka partition, and idleness so a silent
 * host or partition never holds windows back.
 */
public record EventTimeSettings(Duration maxOutOfOrderness, Duration idleTimeout) implements Serializable {
  public static final EventTimeSettings DEFAULT = new EventTimeSettings(Duration.ofMillis(500), Duration.ofSeconds(2));

  public <T> WatermarkStrategy<T> strategy(SerializableTimestampAssigner<T> time) {
    return WatermarkStrategy.<T>forBoundedOutOfOrderness(maxOutOfOrderness)
        .withTimestampAssigner(time)
        .withIdleness(idleTimeout);
  }

  public <O extends Observation> WatermarkStrategy<O> forObservations() {
    return strategy(new ObservationTime<>());
  }
}

package dev.bpfstream.jobs.source;

import java.io.Serializable;
import java.time.Duration;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * How event time advances: bounded out-of-orderness per Kafka partition, and idleness so a silent
 * host or partition never holds windows back ({@code idleTimeout} null: no idleness). An event
 * more than {@code maxAhead} beyond the job's wall clock (a host whose clock runs ahead) is
 * rejected before it can move a watermark ({@code maxAhead} null: no limit); see {@link FutureEventLimit}.
 */
public record EventTimeSettings(Duration maxOutOfOrderness, Duration idleTimeout, Duration maxAhead) implements Serializable {
  public static final Duration DEFAULT_MAX_AHEAD = Duration.ofMinutes(5);
  public static final EventTimeSettings DEFAULT = new EventTimeSettings(Duration.ofMillis(500), Duration.ofSeconds(2), DEFAULT_MAX_AHEAD);

  public EventTimeSettings {
    if (maxAhead != null && maxAhead.isNegative()) {
      throw new IllegalArgumentException("maxAhead must not be negative (null for no limit): " + maxAhead);
    }
  }

  /** With the default limit on events ahead of the job's clock. */
  public EventTimeSettings(Duration maxOutOfOrderness, Duration idleTimeout) {
    this(maxOutOfOrderness, idleTimeout, DEFAULT_MAX_AHEAD);
  }

  public <T> WatermarkStrategy<T> strategy(SerializableTimestampAssigner<T> time) {
    WatermarkStrategy<T> w = WatermarkStrategy.<T>forBoundedOutOfOrderness(maxOutOfOrderness).withTimestampAssigner(time);
    return idleTimeout == null ? w : w.withIdleness(idleTimeout);
  }

  /**
   * Without idleness: for bounded runs over a backlog, where a partition not fetched for a while
   * (the consumer drains partitions in turn) must not be taken for a silent one and have its events
   * made late; a bounded input ends everywhere anyway. The limit on future events stays: a backlog
   * is in the past.
   */
  public EventTimeSettings withoutIdleness() {
    return new EventTimeSettings(maxOutOfOrderness, null, maxAhead);
  }

  /** {@code d} null: no limit on how far ahead of the job's clock an event may be. */
  public EventTimeSettings withMaxAhead(Duration d) {
    return new EventTimeSettings(maxOutOfOrderness, idleTimeout, d);
  }

  public <O extends Observation> WatermarkStrategy<O> forObservations() {
    return strategy(new ObservationTime<>());
  }
}

package dev.bpfstream.jobs.source;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** Event time of an observation in Flink's milliseconds. */
public final class ObservationTime<O extends Observation> implements SerializableTimestampAssigner<O> {
  private static final long serialVersionUID = 1L;

  @Override
  public long extractTimestamp(O element, long recordTimestamp) {
    return element.timestampMs();
  }
}

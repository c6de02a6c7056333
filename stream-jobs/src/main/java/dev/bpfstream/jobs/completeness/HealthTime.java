package dev.bpfstream.jobs.completeness;

import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.jobs.source.Observation;
import dev.bpfstream.jobs.wire.Decoded;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * Event time of a health report: when the collector wrote it. An unreadable report has no time
 * ({@link Observation#NO_TIME}): it never moves the watermark, and goes to the dead-letter topic.
 */
public final class HealthTime implements SerializableTimestampAssigner<Decoded<CollectorHealth>> {
  private static final long serialVersionUID = 1L;

  @Override
  public long extractTimestamp(Decoded<CollectorHealth> h, long recordTimestamp) {
    return h.value == null ? Observation.NO_TIME : Math.floorDiv(h.value.getTimeNs(), 1_000_000L);
  }
}

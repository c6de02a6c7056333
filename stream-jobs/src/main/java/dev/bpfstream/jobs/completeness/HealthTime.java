package dev.bpfstream.jobs.completeness;

import dev.bpfstream.event.CollectorHealth;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** Event time of a health report: when the collector wrote it. */
public final class HealthTime implements SerializableTimestampAssigner<CollectorHealth> {
  private static final long serialVersionUID = 1L;

  @Override
  public long extractTimestamp(CollectorHealth h, long recordTimestamp) {
    return Math.floorDiv(h.getTimeNs(), 1_000_000L);
  }
}

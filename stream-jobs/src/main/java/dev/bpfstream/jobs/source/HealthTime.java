package dev.bpfstream.jobs.source;

import dev.bpfstream.event.CollectorHealth;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * Event time of a health report: when the collector wrote it. An unreadable report has no time
 * ({@link Observation#NO_TIME}): it never moves the watermark, and goes to the dead-letter topic;
 * so does one too far ahead of the job's clock, which the source's reader finds by this same time.
 */
public final class HealthTime implements SerializableTimestampAssigner<Decoded<CollectorHealth>>,
    DeadLetteringDeserializer.EventStamp<CollectorHealth> {
  private static final long serialVersionUID = 1L;

  @Override
  public long extractTimestamp(Decoded<CollectorHealth> h, long recordTimestamp) {
    return h.value == null ? Observation.NO_TIME : Math.floorDiv(timeNs(h.value), 1_000_000L);
  }

  @Override
  public long timeNs(CollectorHealth report) {
    return report.getTimeNs();
  }

  @Override
  public String hostId(CollectorHealth report) {
    return report.getHostId();
  }
}

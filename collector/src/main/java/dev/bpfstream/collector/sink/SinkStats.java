package dev.bpfstream.collector.sink;

/** What a sink reports in collector health beyond the per-probe counters. */
public record SinkStats(long sendErrors, long spoolBytes, long spoolRecords, long spoolDropped) {
  public static final SinkStats NONE = new SinkStats(0, 0, 0, 0);
}

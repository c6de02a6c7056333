package dev.bpfstream.collector.sink;

import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecord;

/**
 * Where records go: Kafka, stdout as JSON lines, or nowhere (benchmarks). A sink encodes or prints
 * the record before {@link #accept} returns, so callers may reuse the record object.
 */
public interface EventSink extends AutoCloseable {
  void accept(Topic topic, SpecificRecord record, ProbeCounters counters);

  /** Waits until what was accepted is delivered (or counted as failed). */
  void flush();

  /** Send errors and spool figures for the health report. */
  default SinkStats stats() {
    return SinkStats.NONE;
  }

  @Override
  void close();
}

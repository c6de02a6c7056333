package dev.bpfstream.collector.sink;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;

/** Encodes every record in the wire format and drops it: the collector's cost without Kafka (benchmarks). */
public final class NullSink implements EventSink {
  private final ThreadLocal<Map<Topic, WireCodec<SpecificRecord>>> codecs = ThreadLocal.withInitial(() -> new EnumMap<>(Topic.class));
  private final LongAdder records = new LongAdder();
  private final LongAdder bytes = new LongAdder();

  @Override
  @SuppressWarnings("unchecked")
  public void accept(Topic topic, SpecificRecord record, ProbeCounters counters) {
    byte[] v = codecs.get().computeIfAbsent(topic, t -> (WireCodec<SpecificRecord>) WireCodec.of(t.recordType())).encode(record);
    records.increment();
    bytes.add(v.length);
    counters.produced.increment();
  }

  public long records() {
    return records.sum();
  }

  public long bytes() {
    return bytes.sum();
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
  }
}

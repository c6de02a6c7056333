package dev.bpfstream.collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.sink.EventSink;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;

/**
 * Keeps what the collector emits, decoded back from the wire format (so the test sees exactly what
 * a consumer would). For probe tests that need no broker; end-to-end tests use Kafka.
 */
public final class RecordingSink implements EventSink {
  private final List<SpecificRecord> records = new ArrayList<>();

  @Override
  @SuppressWarnings("unchecked")
  public synchronized void accept(Topic topic, SpecificRecord record, ProbeCounters counters) {
    WireCodec<SpecificRecord> codec = (WireCodec<SpecificRecord>) WireCodec.of(topic.recordType());
    records.add(codec.decode(codec.encode(record)));
    counters.produced.increment();
    notifyAll();
  }

  public synchronized <T> List<T> all(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (SpecificRecord r : records) {
      if (type.isInstance(r)) {
        out.add(type.cast(r));
      }
    }
    return out;
  }

  /** Waits until a record of {@code type} matching {@code match} arrives, or fails after {@code timeout}. */
  public synchronized <T> T await(Class<T> type, Predicate<T> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (SpecificRecord r : records) {
        if (type.isInstance(r) && match.test(type.cast(r))) {
          return type.cast(r);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching " + type.getSimpleName() + " within " + timeout + "; got " + all(type).size() + " of that type");
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
  }
}

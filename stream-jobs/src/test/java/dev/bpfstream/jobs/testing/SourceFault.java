package dev.bpfstream.jobs.testing;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Wraps a job's real deserializer: counts the records its source reads and, once armed, throws a
 * real exception in the running task after a given number of further records, once. Flink then
 * fails the task and restarts the job by its restart strategy. The MiniCluster runs in the test's
 * JVM, so the counters are static and the test reads them directly; one test at a time uses them.
 */
public final class SourceFault<O> implements KafkaRecordDeserializationSchema<O> {
  private static final long serialVersionUID = 1L;

  private static final AtomicLong read = new AtomicLong();
  private static final AtomicLong throwAt = new AtomicLong(-1);
  private static final AtomicInteger thrown = new AtomicInteger();
  private static final AtomicLong thrownAtNanos = new AtomicLong();
  private static final AtomicLong thrownAtRecord = new AtomicLong();
  private static final AtomicLong firstReadNanos = new AtomicLong();
  private static final AtomicLong firstReadAfterFaultNanos = new AtomicLong();

  private final KafkaRecordDeserializationSchema<O> delegate;

  public SourceFault(KafkaRecordDeserializationSchema<O> delegate) {
    this.delegate = delegate;
  }

  /** Forgets everything: nothing read, not armed, nothing thrown. */
  public static void reset() {
    read.set(0);
    throwAt.set(-1);
    thrown.set(0);
    thrownAtNanos.set(0);
    thrownAtRecord.set(0);
    firstReadNanos.set(0);
    firstReadAfterFaultNanos.set(0);
  }

  /** The next task to read {@code records} more records throws once. */
  public static void armAfter(long records) {
    throwAt.set(read.get() + records);
  }

  public static long read() {
    return read.get();
  }

  public static int thrown() {
    return thrown.get();
  }

  /** System.nanoTime() of the fault, 0 before it. */
  public static long thrownAtNanos() {
    return thrownAtNanos.get();
  }

  /** How many records had been read when the fault was thrown, 0 before it. */
  public static long thrownAtRecord() {
    return thrownAtRecord.get();
  }

  /** System.nanoTime() of the first record read since the last reset, 0 before it. */
  public static long firstReadNanos() {
    return firstReadNanos.get();
  }

  /** System.nanoTime() of the first record read by the restarted task after the fault, 0 before it. */
  public static long firstReadAfterFaultNanos() {
    return firstReadAfterFaultNanos.get();
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) throws Exception {
    delegate.open(context);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<O> out) throws IOException {
    long n = read.incrementAndGet();
    if (n == 1) {
      firstReadNanos.compareAndSet(0, System.nanoTime());
    }
    if (thrown.get() > 0) {
      firstReadAfterFaultNanos.compareAndSet(0, System.nanoTime());
    }
    long at = throwAt.get();
    if (at >= 0 && n >= at && throwAt.compareAndSet(at, -1)) {
      thrownAtNanos.set(System.nanoTime());
      thrownAtRecord.set(n);
      thrown.incrementAndGet();
      throw new IOException("injected fault at record " + n + " (" + record.topic() + "/" + record.partition() + "@" + record.offset() + ")");
    }
    delegate.deserialize(record, out);
  }

  @Override
  public TypeInformation<O> getProducedType() {
    return delegate.getProducedType();
  }
}

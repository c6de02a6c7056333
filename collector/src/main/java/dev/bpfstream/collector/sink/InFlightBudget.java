package dev.bpfstream.collector.sink;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the heap held by records handed to the Kafka producer and not yet acknowledged. The
 * producer's buffer.memory bounds only its compressed batches; each record in flight also holds its
 * callback, its future and (with a spool) its own bytes for a possible retry, several times its
 * compressed size. When Kafka falls behind a storm, this is where the reader waits, so the BPF ring
 * fills and the excess is dropped and counted kernel-side, instead of the heap growing until an
 * OutOfMemoryError. Default: an eighth of the heap, at most 64 MiB of record bytes; the producer's
 * buffer.memory gets the same ({@link #heapShare()}), so the sink holds about a quarter of the heap.
 */
final class InFlightBudget {
  /** What one record costs beyond its key and value (callback, future, thunk, batch slot). */
  static final int RECORD_OVERHEAD = 160;
  private final Semaphore bytes;
  private final int max;

  InFlightBudget(long maxBytes) {
    this.max = (int) Math.max(1 << 20, Math.min(Integer.MAX_VALUE, maxBytes));
    this.bytes = new Semaphore(max);
  }

  static InFlightBudget forHeap() {
    return new InFlightBudget(heapShare());
  }

  /** An eighth of the heap, between 4 and 64 MiB. */
  static long heapShare() {
    return Math.max(4L << 20, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8));
  }

  /** The budget a record takes until it is acknowledged (a record larger than the budget takes all of it). */
  int cost(byte[] key, byte[] value) {
    long c = (key == null ? 0 : key.length) + (long) value.length + RECORD_OVERHEAD;
    return (int) Math.min(max, c);
  }

  /** Takes {@code cost}, waiting up to {@code timeoutMs} for acknowledgements to free it; false if they did not. */
  boolean acquire(int cost, long timeoutMs) {
    if (bytes.tryAcquire(cost)) {
      return true;
    }
    try {
      return bytes.tryAcquire(cost, timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void release(int cost) {
    bytes.release(cost);
  }

  /** Bytes of records waiting for acknowledgement now. */
  long inFlight() {
    return max - bytes.availablePermits();
  }

  int max() {
    return max;
  }
}

package dev.bpfstream.jobs.sketch;

import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.bpfstream.event.Log2Histogram;
import dev.bpfstream.schema.Log2Buckets;
import org.HdrHistogram.Histogram;

/**
 * A mergeable latency distribution over nanoseconds: the project's fixed log2 layout (exact bucket
 * counts, merges with kernel histograms bucket by bucket) plus an HdrHistogram for percentiles.
 *
 * <p>Stated accuracy: per-event values give percentiles within {@link #PERCENTILE_ERROR} relative
 * error (HdrHistogram with 2 significant digits). Kernel-side log2 histograms only say which power
 * of two a value fell in; their counts enter the HdrHistogram at 4/3 of the bucket's lower bound,
 * the point that is at most 1/3 away from any value of the bucket, so a sketch holding any of them
 * states {@link #KERNEL_BUCKET_ERROR}. The maximum is exact for per-event values and the bucket's
 * upper bound for kernel buckets.
 */
public final class LatencySketch {
  public static final int SIGNIFICANT_DIGITS = 2;
  public static final double PERCENTILE_ERROR = 0.01;
  public static final double KERNEL_BUCKET_ERROR = 1.0 / 3.0 + PERCENTILE_ERROR;
  /** No latency is that long (36 years); clamping keeps HdrHistogram's range finite. */
  static final long MAX_VALUE_NS = 1L << 60;

  final long[] log2 = new long[Log2Buckets.COUNT];
  long count;
  long sumNs;
  long maxNs;
  boolean hasKernelBuckets;
  Histogram hdr;

  public LatencySketch() {
    this(newHdr());
  }

  private LatencySketch(Histogram hdr) {
    this.hdr = hdr;
  }

  static Histogram newHdr() {
    Histogram h = new Histogram(SIGNIFICANT_DIGITS);
    h.setAutoResize(true);
    return h;
  }

  /** One measured latency. */
  public void record(long valueNs) {
    long v = valueNs < 0 ? 0 : Math.min(valueNs, MAX_VALUE_NS);
    log2[Log2Buckets.index(v)]++;
    count++;
    sumNs += v;
    if (v > maxNs) {
      maxNs = v;
    }
    hdr.recordValue(v);
  }

  /**
   * A kernel-side histogram in the log2 layout.
   *
   * @param sumNs the kernel's exact sum when it has one, else 0 (then the sum is estimated)
   */
  public void recordLog2(long[] buckets, long sumNs) {
    int n = Math.min(buckets.length, Log2Buckets.COUNT);
    long added = 0;
    long estimatedSum = 0;
    for (int i = 0; i < n; i++) {
      long c = buckets[i];
      if (c <= 0) {
        continue;
      }
      long rep = representative(i);
      log2[i] += c;
      added += c;
      estimatedSum += rep * c;
      hdr.recordValueWithCount(rep, c);
      maxNs = Math.max(maxNs, Math.min(Log2Buckets.upperBound(i), MAX_VALUE_NS));
    }
    if (added > 0) {
      count += added;
      this.sumNs += sumNs > 0 ? sumNs : estimatedSum;
      hasKernelBuckets = true;
    }
  }

  /** The value standing for all of log2 bucket i: at most 1/3 away from any of them. */
  static long representative(int i) {
    if (i == 0) {
      return 1;
    }
    long lo = Log2Buckets.lowerBound(i);
    return Math.min(lo + lo / 3, MAX_VALUE_NS);
  }

  public void merge(LatencySketch other) {
    for (int i = 0; i < log2.length; i++) {
      log2[i] += other.log2[i];
    }
    count += other.count;
    sumNs += other.sumNs;
    maxNs = Math.max(maxNs, other.maxNs);
    hasKernelBuckets |= other.hasKernelBuckets;
    hdr.add(other.hdr);
  }

  public long count() {
    return count;
  }

  public long maxNs() {
    return maxNs;
  }

  public double meanNs() {
    return count == 0 ? 0.0 : (double) sumNs / count;
  }

  /** The value at percentile p (0..100): at least p% of the values are at most it, within {@link #relativeError()}. */
  public long percentileNs(double p) {
    if (count == 0) {
      return 0;
    }
    return Math.min(hdr.getValueAtPercentile(p), maxNs);
  }

  public double relativeError() {
    return hasKernelBuckets ? KERNEL_BUCKET_ERROR : PERCENTILE_ERROR;
  }

  public long[] log2Buckets() {
    return log2.clone();
  }

  public Log2Histogram toLog2Histogram() {
    Long[] boxed = new Long[log2.length];
    for (int i = 0; i < log2.length; i++) {
      boxed[i] = log2[i];
    }
    return Log2Histogram.newBuilder().setBuckets(Arrays.asList(boxed)).setCount(count).setSumNs(sumNs).build();
  }

  /** Empties the sketch, keeping its memory. */
  public void reset() {
    Arrays.fill(log2, 0);
    count = 0;
    sumNs = 0;
    maxNs = 0;
    hasKernelBuckets = false;
    hdr.reset();
  }

  public LatencySketch copy() {
    LatencySketch c = new LatencySketch(hdr.copy());
    c.hdr.setAutoResize(true);
    System.arraycopy(log2, 0, c.log2, 0, log2.length);
    c.count = count;
    c.sumNs = sumNs;
    c.maxNs = maxNs;
    c.hasKernelBuckets = hasKernelBuckets;
    return c;
  }

  /** HdrHistogram's own compact encoding (zero runs collapsed). */
  byte[] encodeHdr() {
    ByteBuffer buf = ByteBuffer.allocate(hdr.getNeededByteBufferCapacity());
    int n = hdr.encodeIntoByteBuffer(buf);
    return Arrays.copyOf(buf.array(), n);
  }

  static LatencySketch withEncodedHdr(byte[] encoded) {
    Histogram h = Histogram.decodeFromByteBuffer(ByteBuffer.wrap(encoded), 2);
    h.setAutoResize(true);
    return new LatencySketch(h);
  }
}

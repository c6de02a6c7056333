package dev.bpfstream.jobs.sketch;

import java.util.Arrays;

import dev.bpfstream.event.Log2Histogram;
import dev.bpfstream.schema.Log2Buckets;

/**
 * A mergeable latency distribution over nanoseconds: the project's fixed log2 layout (exact bucket
 * counts, merges with kernel histograms bucket by bucket) plus relative-error bins (DDSketch's
 * logarithmic mapping, {@link LogBins}) for percentiles.
 *
 * <p>Percentile p is the value at rank max(1, round(p/100 n)) of the n values. Stated accuracy:
 * per-event values give it within {@link #PERCENTILE_ERROR} relative error. Kernel-side log2
 * histograms only say which power of two a value fell in; their counts enter the bins at 4/3 of the
 * bucket's lower bound, the point at most 1/3 away from any value of the bucket, so a sketch holding
 * any of them states {@link #KERNEL_BUCKET_ERROR}. The maximum is exact for per-event values and the
 * bucket's upper bound for kernel buckets. (HdrHistogram, tried first, cost ten times more to
 * serialize, merge and checkpoint: its arrays cover the whole value range.)
 */
public final class LatencySketch {
  public static final double PERCENTILE_ERROR = LogBins.ALPHA;
  public static final double KERNEL_BUCKET_ERROR = 4.0 / 3.0 * (1 + LogBins.ALPHA) - 1;
  /** No latency is that long (36 years); clamping keeps the bins' range finite. */
  static final long MAX_VALUE_NS = 1L << 60;

  final long[] log2 = new long[Log2Buckets.COUNT];
  long count;
  long sumNs;
  long maxNs;
  boolean hasKernelBuckets;
  LogBins bins;

  public LatencySketch() {
    this(new LogBins());
  }

  LatencySketch(LogBins bins) {
    this.bins = bins;
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
    bins.add(v, 1);
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
      bins.add(rep, c);
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
    bins.merge(other.bins);
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
    return Math.min(bins.valueAtPercentile(p), maxNs);
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
    bins.reset();
  }

  public LatencySketch copy() {
    LatencySketch c = new LatencySketch(bins.copy());
    System.arraycopy(log2, 0, c.log2, 0, log2.length);
    c.count = count;
    c.sumNs = sumNs;
    c.maxNs = maxNs;
    c.hasKernelBuckets = hasKernelBuckets;
    return c;
  }
}

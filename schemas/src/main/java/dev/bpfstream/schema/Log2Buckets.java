package dev.bpfstream.schema;

/**
 * The project's one histogram layout: 64 buckets over nanoseconds, bucket i holding values v with
 * floor(log2(v)) == i, and bucket 0 also holding 0. The BPF programs compute the same index
 * (see collector/src/main/bpf/bits.bpf.h), so kernel and per-event histograms merge bucket by bucket.
 */
public final class Log2Buckets {
  public static final int COUNT = 64;

  private Log2Buckets() {
  }

  public static int index(long valueNs) {
    return valueNs <= 1 ? 0 : 63 - Long.numberOfLeadingZeros(valueNs);
  }

  /** Smallest value counted in bucket i. */
  public static long lowerBound(int i) {
    return i == 0 ? 0 : 1L << i;
  }

  /** Largest value counted in bucket i. */
  public static long upperBound(int i) {
    return i >= 63 ? Long.MAX_VALUE : (1L << (i + 1)) - 1;
  }
}

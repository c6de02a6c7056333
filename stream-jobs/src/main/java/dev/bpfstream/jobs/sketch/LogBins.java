package dev.bpfstream.jobs.sketch;

import java.io.IOException;
import java.util.Arrays;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Relative-error quantile bins (the DDSketch idea): value v > 0 falls in bin
 * i = ceil(log_gamma(v)) with gamma = (1 + a) / (1 - a), and bin i stands for 2 gamma^i / (gamma + 1),
 * which is within relative error a of every value in (gamma^(i-1), gamma^i]. Bins live in one dense
 * array over the range of indexes seen, so memory and serialized size follow the spread of the
 * values (about 115 bins per factor of 10 at a = 1 %), not the range of possible values. Mergeable.
 */
final class LogBins {
  static final double ALPHA = 0.01;
  static final double GAMMA = (1 + ALPHA) / (1 - ALPHA);
  private static final double INV_LN_GAMMA = 1 / Math.log(GAMMA);
  private static final long[] NONE = new long[0];

  /** Values of 0 (no time at all). */
  long zeros;
  long[] bins = NONE;
  /** Index of bins[0]. */
  int offset;
  long total;

  static int index(long v) {
    return (int) Math.ceil(Math.log(v) * INV_LN_GAMMA);
  }

  static long value(int index) {
    return Math.round(2 * Math.pow(GAMMA, index) / (GAMMA + 1));
  }

  void add(long v, long count) {
    total += count;
    if (v <= 0) {
      zeros += count;
      return;
    }
    int i = index(v);
    cover(i, i);
    bins[i - offset] += count;
  }

  private void cover(int lo, int hi) {
    if (bins.length == 0) {
      int spare = 32;
      bins = new long[hi - lo + 1 + 2 * spare];
      offset = lo - spare;
      return;
    }
    int end = offset + bins.length;
    if (lo >= offset && hi < end) {
      return;
    }
    int newLo = Math.min(offset, lo - 16);
    int newEnd = Math.max(end, hi + 17);
    long[] grown = new long[newEnd - newLo];
    System.arraycopy(bins, 0, grown, offset - newLo, bins.length);
    bins = grown;
    offset = newLo;
  }

  void merge(LogBins other) {
    total += other.total;
    zeros += other.zeros;
    int first = other.firstUsed();
    if (first < 0) {
      return;
    }
    int last = other.lastUsed();
    cover(other.offset + first, other.offset + last);
    for (int k = first; k <= last; k++) {
      bins[other.offset + k - offset] += other.bins[k];
    }
  }

  /** The value at rank max(1, round(p/100 total)). */
  long valueAtPercentile(double p) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, Math.round(p / 100.0 * total));
    long seen = zeros;
    if (seen >= rank) {
      return 0;
    }
    for (int k = 0; k < bins.length; k++) {
      seen += bins[k];
      if (seen >= rank) {
        return value(offset + k);
      }
    }
    return value(offset + lastUsed());
  }

  void reset() {
    Arrays.fill(bins, 0);
    zeros = 0;
    total = 0;
  }

  LogBins copy() {
    LogBins c = new LogBins();
    c.zeros = zeros;
    c.bins = bins.clone();
    c.offset = offset;
    c.total = total;
    return c;
  }

  private int firstUsed() {
    for (int k = 0; k < bins.length; k++) {
      if (bins[k] != 0) {
        return k;
      }
    }
    return -1;
  }

  private int lastUsed() {
    for (int k = bins.length - 1; k >= 0; k--) {
      if (bins[k] != 0) {
        return k;
      }
    }
    return -1;
  }

  /** Zero count, then the used range of bins with counts as unsigned varints. */
  void write(DataOutputView out) throws IOException {
    writeVarLong(zeros, out);
    int first = firstUsed();
    if (first < 0) {
      out.writeInt(0);
      return;
    }
    int last = lastUsed();
    out.writeInt(last - first + 1);
    out.writeInt(offset + first);
    for (int k = first; k <= last; k++) {
      writeVarLong(bins[k], out);
    }
  }

  static LogBins read(DataInputView in) throws IOException {
    LogBins b = new LogBins();
    b.zeros = readVarLong(in);
    b.total = b.zeros;
    int n = in.readInt();
    if (n < 0 || n > 1 << 16) {
      throw new IOException("corrupt latency sketch: " + n + " bins");
    }
    if (n > 0) {
      b.offset = in.readInt();
      b.bins = new long[n];
      for (int k = 0; k < n; k++) {
        b.bins[k] = readVarLong(in);
        b.total += b.bins[k];
      }
    }
    return b;
  }

  static void writeVarLong(long v, DataOutputView out) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  static long readVarLong(DataInputView in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("corrupt latency sketch: varint too long");
  }
}

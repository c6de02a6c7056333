package dev.bpfstream.jobs.sketch;

import java.io.IOException;

import dev.bpfstream.jobs.typeinfo.MutableSerializer;
import dev.bpfstream.schema.Log2Buckets;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link LatencySketch}: the sparse log2 buckets, the totals, then the used
 * range of the relative-error bins. Version 1.
 */
public final class LatencySketchSerializer extends MutableSerializer<LatencySketch> {
  private static final long serialVersionUID = 1L;
  public static final LatencySketchSerializer INSTANCE = new LatencySketchSerializer();

  @Override
  public LatencySketch createInstance() {
    return new LatencySketch();
  }

  @Override
  protected LatencySketch deepCopy(LatencySketch from) {
    return from.copy();
  }

  @Override
  public void serialize(LatencySketch s, DataOutputView out) throws IOException {
    int nonZero = 0;
    for (long c : s.log2) {
      if (c != 0) {
        nonZero++;
      }
    }
    out.writeByte(nonZero);
    for (int i = 0; i < s.log2.length; i++) {
      if (s.log2[i] != 0) {
        out.writeByte(i);
        out.writeLong(s.log2[i]);
      }
    }
    out.writeLong(s.count);
    out.writeLong(s.sumNs);
    out.writeLong(s.maxNs);
    out.writeBoolean(s.hasKernelBuckets);
    s.bins.write(out);
  }

  @Override
  public LatencySketch deserialize(DataInputView in) throws IOException {
    long[] log2 = new long[Log2Buckets.COUNT];
    int nonZero = in.readUnsignedByte();
    for (int k = 0; k < nonZero; k++) {
      int i = in.readUnsignedByte();
      if (i >= Log2Buckets.COUNT) {
        throw new IOException("corrupt latency sketch: log2 bucket " + i);
      }
      log2[i] = in.readLong();
    }
    long count = in.readLong();
    long sum = in.readLong();
    long max = in.readLong();
    boolean kernel = in.readBoolean();
    LatencySketch s = new LatencySketch(LogBins.read(in));
    System.arraycopy(log2, 0, s.log2, 0, log2.length);
    s.count = count;
    s.sumNs = sum;
    s.maxNs = max;
    s.hasKernelBuckets = kernel;
    return s;
  }

  @Override
  public TypeSerializerSnapshot<LatencySketch> snapshotConfiguration() {
    return new Snapshot();
  }

  public static final class Snapshot extends SimpleTypeSerializerSnapshot<LatencySketch> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}

package dev.bpfstream.jobs.latency;

import java.io.IOException;
import java.util.Map;

import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.jobs.sketch.LatencySketch;
import dev.bpfstream.jobs.sketch.LatencySketchSerializer;
import dev.bpfstream.jobs.typeinfo.MutableSerializer;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink serializer of {@link LatencyAccumulator}, version 1. */
public final class LatencyAccumulatorSerializer extends MutableSerializer<LatencyAccumulator> {
  private static final long serialVersionUID = 1L;
  public static final LatencyAccumulatorSerializer INSTANCE = new LatencyAccumulatorSerializer();

  @Override
  public LatencyAccumulator createInstance() {
    return new LatencyAccumulator("", null, 0, 0);
  }

  @Override
  protected LatencyAccumulator deepCopy(LatencyAccumulator from) {
    return from.copy();
  }

  @Override
  public void serialize(LatencyAccumulator a, DataOutputView out) throws IOException {
    writeString(a.hostId, out);
    writeString(a.hostname, out);
    out.writeLong(a.windowStartMs);
    out.writeLong(a.windowSizeMs);
    out.writeLong(a.lostEvents);
    out.writeLong(a.eventCount);
    out.writeInt(a.sketches.size());
    for (Map.Entry<SketchKey, LatencySketch> e : a.sketches.entrySet()) {
      writeString(e.getKey().kind().name(), out);
      writeString(e.getKey().dimension(), out);
      writeString(e.getKey().value(), out);
      LatencySketchSerializer.INSTANCE.serialize(e.getValue(), out);
    }
  }

  @Override
  public LatencyAccumulator deserialize(DataInputView in) throws IOException {
    LatencyAccumulator a = new LatencyAccumulator(readString(in), readString(in), in.readLong(), in.readLong());
    a.lostEvents = in.readLong();
    a.eventCount = in.readLong();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      SketchKey k = new SketchKey(LatencyKind.valueOf(readString(in)), readString(in), readString(in));
      a.sketches.put(k, LatencySketchSerializer.INSTANCE.deserialize(in));
    }
    return a;
  }

  @Override
  public TypeSerializerSnapshot<LatencyAccumulator> snapshotConfiguration() {
    return new Snapshot();
  }

  public static final class Snapshot extends SimpleTypeSerializerSnapshot<LatencyAccumulator> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}

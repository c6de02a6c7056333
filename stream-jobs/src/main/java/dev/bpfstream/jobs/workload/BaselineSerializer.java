package dev.bpfstream.jobs.workload;

import java.io.IOException;
import java.util.Map;

import dev.bpfstream.jobs.typeinfo.MutableSerializer;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink serializer of {@link Baseline}, version 1. */
public final class BaselineSerializer extends MutableSerializer<Baseline> {
  private static final long serialVersionUID = 1L;
  public static final BaselineSerializer INSTANCE = new BaselineSerializer();

  @Override
  public Baseline createInstance() {
    return new Baseline();
  }

  @Override
  protected Baseline deepCopy(Baseline from) {
    Baseline b = new Baseline();
    b.lastWindowStartMs = from.lastWindowStartMs;
    b.last.putAll(from.last);
    b.average.putAll(from.average);
    return b;
  }

  @Override
  public void serialize(Baseline b, DataOutputView out) throws IOException {
    out.writeLong(b.lastWindowStartMs);
    writeMap(b.last, out);
    writeMap(b.average, out);
  }

  @Override
  public Baseline deserialize(DataInputView in) throws IOException {
    Baseline b = new Baseline();
    b.lastWindowStartMs = in.readLong();
    readMap(b.last, in);
    readMap(b.average, in);
    return b;
  }

  private static void writeMap(Map<String, Double> m, DataOutputView out) throws IOException {
    out.writeInt(m.size());
    for (Map.Entry<String, Double> e : m.entrySet()) {
      writeString(e.getKey(), out);
      out.writeDouble(e.getValue());
    }
  }

  private static void readMap(Map<String, Double> m, DataInputView in) throws IOException {
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      m.put(readString(in), in.readDouble());
    }
  }

  @Override
  public TypeSerializerSnapshot<Baseline> snapshotConfiguration() {
    return new Snapshot();
  }

  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Baseline> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}

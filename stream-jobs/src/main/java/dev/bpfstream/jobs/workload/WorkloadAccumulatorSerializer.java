package dev.bpfstream.jobs.workload;

import java.io.IOException;
import java.util.Map;

import dev.bpfstream.jobs.typeinfo.MutableSerializer;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link WorkloadAccumulator}, version 1. Counters are written by name, so
 * adding a {@link Counter} keeps old state readable.
 */
public final class WorkloadAccumulatorSerializer extends MutableSerializer<WorkloadAccumulator> {
  private static final long serialVersionUID = 1L;
  public static final WorkloadAccumulatorSerializer INSTANCE = new WorkloadAccumulatorSerializer();

  @Override
  public WorkloadAccumulator createInstance() {
    return new WorkloadAccumulator("", null, 0, 0);
  }

  @Override
  protected WorkloadAccumulator deepCopy(WorkloadAccumulator from) {
    return from.copy();
  }

  @Override
  public void serialize(WorkloadAccumulator a, DataOutputView out) throws IOException {
    writeString(a.hostId, out);
    writeString(a.hostname, out);
    out.writeLong(a.windowStartMs);
    out.writeLong(a.windowSizeMs);
    out.writeLong(a.lostEvents);
    out.writeLong(a.eventCount);
    writeScope(a.total, out);
    out.writeInt(a.groups.size());
    for (Map.Entry<String, ScopeCounts> e : a.groups.entrySet()) {
      writeString(e.getKey(), out);
      writeScope(e.getValue(), out);
    }
  }

  @Override
  public WorkloadAccumulator deserialize(DataInputView in) throws IOException {
    WorkloadAccumulator a = new WorkloadAccumulator(readString(in), readString(in), in.readLong(), in.readLong());
    a.lostEvents = in.readLong();
    a.eventCount = in.readLong();
    a.total = readScope(in);
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      a.groups.put(readString(in), readScope(in));
    }
    return a;
  }

  static void writeScope(ScopeCounts s, DataOutputView out) throws IOException {
    int nonZero = 0;
    for (long c : s.counts) {
      if (c != 0) {
        nonZero++;
      }
    }
    out.writeShort(nonZero);
    for (Counter c : Counter.ALL) {
      if (s.counts[c.ordinal()] != 0) {
        writeString(c.name(), out);
        out.writeLong(s.counts[c.ordinal()]);
      }
    }
    out.writeInt(s.devices.size());
    for (Map.Entry<String, long[]> e : s.devices.entrySet()) {
      writeString(e.getKey(), out);
      for (long v : e.getValue()) {
        out.writeLong(v);
      }
    }
    writeTop(s.processes, out);
    writeTop(s.users, out);
    writeTop(s.containers, out);
    writeTop(s.remotes, out);
    writeTop(s.stacks, out);
  }

  static ScopeCounts readScope(DataInputView in) throws IOException {
    ScopeCounts s = new ScopeCounts();
    int nonZero = in.readShort();
    for (int i = 0; i < nonZero; i++) {
      String name = readString(in);
      long v = in.readLong();
      s.counts[Counter.valueOf(name).ordinal()] = v;
    }
    int devices = in.readInt();
    for (int i = 0; i < devices; i++) {
      String dev = readString(in);
      long[] v = new long[4];
      for (int k = 0; k < 4; k++) {
        v[k] = in.readLong();
      }
      s.devices.put(dev, v);
    }
    readTop(s.processes, in);
    readTop(s.users, in);
    readTop(s.containers, in);
    readTop(s.remotes, in);
    readTop(s.stacks, in);
    return s;
  }

  static void writeTop(TopCounter t, DataOutputView out) throws IOException {
    out.writeInt(t.counts.size());
    for (Map.Entry<String, long[]> e : t.counts.entrySet()) {
      writeString(e.getKey(), out);
      long[] v = e.getValue();
      out.writeLong(v[0]);
      out.writeLong(v[1]);
      out.writeLong(v[2]);
    }
  }

  static void readTop(TopCounter t, DataInputView in) throws IOException {
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      t.counts.put(readString(in), new long[] {in.readLong(), in.readLong(), in.readLong()});
    }
  }

  @Override
  public TypeSerializerSnapshot<WorkloadAccumulator> snapshotConfiguration() {
    return new Snapshot();
  }

  public static final class Snapshot extends SimpleTypeSerializerSnapshot<WorkloadAccumulator> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}

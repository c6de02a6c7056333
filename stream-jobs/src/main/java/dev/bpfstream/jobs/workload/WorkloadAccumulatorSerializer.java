package dev.bpfstream.jobs.workload;

import java.io.IOException;
import java.util.Map;

import dev.bpfstream.jobs.typeinfo.MutableSerializer;
import dev.bpfstream.jobs.window.WindowPartial;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link WorkloadAccumulator}. Counters are written by name, so adding a
 * {@link Counter} keeps old state readable. Formats: 1, up to the top commands; 2 adds each scope's
 * {@link CommandCounter}. State of format 1 is migrated on restore, its commands made from the
 * {@code comm/pid} top processes it kept (without executable paths): the {@link Snapshot} tells
 * which format a savepoint holds.
 */
public final class WorkloadAccumulatorSerializer extends MutableSerializer<WorkloadAccumulator> {
  private static final long serialVersionUID = 1L;
  static final int FORMAT = 2;
  public static final WorkloadAccumulatorSerializer INSTANCE = new WorkloadAccumulatorSerializer(FORMAT);
  /** Reads (and writes) format 1: only to restore old state. */
  static final WorkloadAccumulatorSerializer FORMAT_1 = new WorkloadAccumulatorSerializer(1);

  private final int format;

  private WorkloadAccumulatorSerializer(int format) {
    this.format = format;
  }

  @Override
  public WorkloadAccumulator createInstance() {
    return new WorkloadAccumulator("", null, 0, 0);
  }

  @Override
  protected WorkloadAccumulator deepCopy(WorkloadAccumulator from) {
    return from.copy();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkloadAccumulatorSerializer other && other.format == format;
  }

  @Override
  public int hashCode() {
    return format;
  }

  @Override
  public void serialize(WorkloadAccumulator a, DataOutputView out) throws IOException {
    writeString(a.hostId, out);
    writeString(a.hostname, out);
    out.writeLong(a.windowStartMs);
    out.writeLong(a.windowSizeMs);
    out.writeLong(a.lostEvents);
    out.writeLong(a.eventCount);
    writeScopeAndCommands(a.total, out);
    out.writeInt(a.groups.size());
    for (Map.Entry<String, ScopeCounts> e : a.groups.entrySet()) {
      writeString(e.getKey(), out);
      writeScopeAndCommands(e.getValue(), out);
    }
  }

  @Override
  public WorkloadAccumulator deserialize(DataInputView in) throws IOException {
    WorkloadAccumulator a = new WorkloadAccumulator(readString(in), readString(in), in.readLong(), in.readLong());
    a.lostEvents = in.readLong();
    a.eventCount = in.readLong();
    a.total = readScopeAndCommands(in);
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      a.groups.put(readString(in), readScopeAndCommands(in));
    }
    if (format == 1) {
      boolean fleetWide = WindowPartial.FLEET.equals(a.hostId);
      a.total.commands.addProcesses(a.total.processes, fleetWide);
      a.groups.values().forEach(g -> g.commands.addProcesses(g.processes, fleetWide));
    }
    return a;
  }

  private void writeScopeAndCommands(ScopeCounts s, DataOutputView out) throws IOException {
    writeScope(s, out);
    if (format >= 2) {
      writeCommands(s.commands, out);
    }
  }

  private ScopeCounts readScopeAndCommands(DataInputView in) throws IOException {
    ScopeCounts s = readScope(in);
    if (format >= 2) {
      readCommands(s.commands, in);
    }
    return s;
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

  static void writeCommands(CommandCounter c, DataOutputView out) throws IOException {
    out.writeInt(c.commands.size());
    for (Map.Entry<String, CommandCounter.Command> e : c.commands.entrySet()) {
      CommandCounter.Command cmd = e.getValue();
      writeString(e.getKey(), out);
      writeString(cmd.exe, out);
      for (long v : new long[] {cmd.events, cmd.bytes, cmd.samples, cmd.moreProcesses}) {
        out.writeLong(v);
      }
      out.writeInt(cmd.processIds.size());
      for (long id : cmd.processIds) {
        out.writeLong(id);
      }
    }
  }

  static void readCommands(CommandCounter c, DataInputView in) throws IOException {
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String comm = readString(in);
      CommandCounter.Command cmd = new CommandCounter.Command();
      cmd.exe = readString(in);
      cmd.events = in.readLong();
      cmd.bytes = in.readLong();
      cmd.samples = in.readLong();
      cmd.moreProcesses = in.readLong();
      int ids = in.readInt();
      for (int k = 0; k < ids; k++) {
        cmd.processIds.add(in.readLong());
      }
      c.put(comm, cmd);
    }
  }

  @Override
  public TypeSerializerSnapshot<WorkloadAccumulator> snapshotConfiguration() {
    return new Snapshot(format);
  }

  /**
   * Which format the state was written in, as the snapshot's version: 3 (what Flink's
   * SimpleTypeSerializerSnapshot, this class's base until format 2, wrote) is format 1, 4 is format 2.
   * Recorded by name in savepoints: keep the name.
   */
  public static final class Snapshot implements TypeSerializerSnapshot<WorkloadAccumulator> {
    private static final int FORMAT_1_VERSION = 3;
    private int format;

    /** For Flink, which reads the format from the version. */
    public Snapshot() {
      this(FORMAT);
    }

    Snapshot(int format) {
      this.format = format;
    }

    @Override
    public int getCurrentVersion() {
      return FORMAT_1_VERSION - 1 + format;
    }

    @Override
    public void writeSnapshot(DataOutputView out) {
      // the version says it all
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
      if (readVersion < FORMAT_1_VERSION || readVersion > FORMAT_1_VERSION - 1 + FORMAT) {
        throw new IOException("unknown WorkloadAccumulatorSerializer snapshot version " + readVersion);
      }
      format = readVersion - FORMAT_1_VERSION + 1;
    }

    @Override
    public TypeSerializer<WorkloadAccumulator> restoreSerializer() {
      return format == FORMAT ? INSTANCE : FORMAT_1;
    }

    @Override
    public TypeSerializerSchemaCompatibility<WorkloadAccumulator> resolveSchemaCompatibility(
        TypeSerializerSnapshot<WorkloadAccumulator> old) {
      if (!(old instanceof Snapshot s)) {
        return TypeSerializerSchemaCompatibility.incompatible();
      }
      return s.format == format ? TypeSerializerSchemaCompatibility.compatibleAsIs()
          : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }
  }
}

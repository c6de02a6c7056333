package dev.bpfstream.collector.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.schema.Topic;

/**
 * One probe = one BPF object ({@code probes/<name>.bpf.c}), one record layout in bpfstream.h and
 * this class: what it is, how to configure and attach it, and how to decode its records.
 * Adding a probe means adding those three and a test.
 */
public abstract class Probe {

  /** Short name used in configuration, health and `probes` output. */
  public abstract String name();

  /** The BCC tool this probe replaces. */
  public abstract String replaces();

  public abstract String description();

  public abstract List<Topic> topics();

  /** Tracepoints ("category/name") the probe needs: `probes` checks them without loading anything. */
  public abstract List<String> tracepoints();

  /** The object file inside the jar, under dev/bpfstream/collector/bpf/. */
  public String objectFile() {
    return name() + ".bpf.o";
  }

  /** Bytes of the probe's whole configuration struct, common head included. */
  protected int configBytes() {
    return RecordLayout.CFG_COMMON_BYTES;
  }

  /** Writes the probe's own configuration fields, after the common head (offset 16 onwards). */
  protected void writeConfig(ByteBuffer config, ProbeSettings settings) {
  }

  /** Everything the probe does before load beyond configuration (map sizes, optional programs). */
  protected void prepare(BpfObject object, ProbeSettings settings) {
  }

  /** Attaches the probe's programs; the default attaches every program by its section. */
  protected void attach(BpfObject object) {
    for (String program : object.programNames()) {
      object.attach(program);
    }
  }

  /** The decoder of this probe's ring records, writing through {@code context}. */
  public abstract RecordDecoder decoder(DecodeContext context);

  /** Periodic work on the probe's maps (histogram drains), once per interval. Default: none. */
  public void onInterval(LoadedProbe loaded, DecodeContext context) {
  }

  final ByteBuffer config(ProbeSettings s) {
    ByteBuffer b = ByteBuffer.allocate(configBytes()).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(RecordLayout.CFG_WAKEUP_BYTES, s.wakeupBytes());
    b.putInt(RecordLayout.CFG_USE_PERFBUF, s.usePerfBuffer() ? 1 : 0);
    b.putInt(RecordLayout.CFG_SELF_TGID, s.selfTgid());
    writeConfig(b, s);
    return b;
  }
}

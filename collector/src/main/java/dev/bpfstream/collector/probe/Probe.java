package dev.bpfstream.collector.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.bpf.PerfEvents;
import dev.bpfstream.schema.Topic;

/**
 * One probe = one BPF object ({@code collector/src/main/bpf/<name>.bpf.c}), its record layout in the
 * shared headers and a subclass of this in {@code dev.bpfstream.collector.probes}: what it is, how to
 * configure and attach it, and how to decode its records. Adding a probe means adding those three,
 * its entry in the catalog and a test.
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

  /** Options it reads from {@link ProbeOptions} (`--probe-option NAME.KEY=VALUE`); `collector probes` lists them. */
  public List<ProbeOption> options() {
    return List.of();
  }

  /**
   * True when the probe's records go through the ring (its BPF side starts each with begin_record):
   * it then also takes the common rate-limit options ({@link RateLimit}). False for probes that only
   * aggregate in maps drained by the collector (histograms, counters, stack counts).
   */
  public boolean emitsRingRecords() {
    return true;
  }

  /** {@link #options()} plus, for ring probes, the common rate limit (max-rate, burst). */
  public final List<ProbeOption> allOptions() {
    if (!emitsRingRecords()) {
      return options();
    }
    List<ProbeOption> all = new java.util.ArrayList<>(options());
    all.addAll(RateLimit.OPTIONS);
    return List.copyOf(all);
  }

  /**
   * Its BPF ring when `--ring-bytes` is not given: 4 MiB; more for probes whose events come at
   * syscall rates, where the ring must hold what arrives while the reader is off the CPU.
   */
  public int defaultRingBytes() {
    return ProbeSettings.DEFAULT_RING_BYTES;
  }

  /** What `collector probes` should say beyond attach status (exact vs estimated, blind spots); "" for nothing. */
  public String notes() {
    return "";
  }

  /** The object file inside the jar, under dev/bpfstream/collector/bpf/. */
  public String objectFile() {
    return name() + ".bpf.o";
  }

  /** Bytes of the probe's whole configuration struct, common head included. */
  protected int configBytes() {
    return RecordLayout.CFG_COMMON_BYTES;
  }

  /** Writes the probe's own configuration fields, after the common head (RecordLayout.CFG_COMMON_BYTES onwards). */
  protected void writeConfig(ByteBuffer config, ProbeOptions options) {
  }

  /** Everything the probe does before load beyond configuration (map sizes, optional programs). */
  protected void prepare(BpfObject object, ProbeOptions options) {
  }

  /** Attaches the probe's programs; the default attaches every loaded program by its section. */
  protected void attach(BpfObject object) {
    for (String program : object.programNames()) {
      if (object.loads(program)) {
        object.attach(program);
      }
    }
  }

  /** The decoder of this probe's ring records, writing through {@code context}. */
  public abstract RecordDecoder decoder(DecodeContext context);

  /**
   * Periodic work on the probe's maps (histogram drains), once per interval, and once more after
   * the probe is detached and before its maps are freed (the last partial interval). Default: none.
   */
  public void onInterval(LoadedProbe loaded, DecodeContext context) {
  }

  /** The probe's own cumulative counters for the health report (drained samples, symbolization). */
  public void addCounters(LoadedProbe loaded, java.util.Map<String, Long> into) {
  }

  /** Programs whose tracepoint this kernel lacks are not loaded (optional parts, e.g. openat2). */
  protected static void skipMissingTracepoints(BpfObject object) {
    for (String program : object.programNames()) {
      String section = object.sectionOf(program);
      if (section.startsWith("tracepoint/")) {
        String[] parts = section.substring("tracepoint/".length()).split("/", 2);
        if (parts.length == 2 && !dev.bpfstream.collector.bpf.Tracefs.hasTracepoint(parts[0], parts[1])) {
          object.setAutoload(program, false);
        }
      }
    }
  }

  /** The bytes of the probe's .rodata configuration: the common head, then the probe's own fields. */
  public final ByteBuffer config(ProbeSettings s, ProbeOptions options) {
    ByteBuffer b = ByteBuffer.allocate(configBytes()).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(RecordLayout.CFG_WAKEUP_BYTES, s.wakeupBytes());
    b.putInt(RecordLayout.CFG_USE_PERFBUF, s.usePerfBuffer() ? 1 : 0);
    b.putInt(RecordLayout.CFG_SELF_TGID, s.selfTgid());
    RateLimit.of(this, options).write(b, PerfEvents.onlineCpus().size());
    writeConfig(b, options);
    return b;
  }
}

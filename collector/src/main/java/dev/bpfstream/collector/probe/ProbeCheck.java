package dev.bpfstream.collector.probe;

import dev.bpfstream.collector.bpf.BpfException;
import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.bpf.Tracefs;

/** Whether a probe can attach here: its tracepoints exist, and it loads and attaches for real. */
public final class ProbeCheck {
  private ProbeCheck() {
  }

  /** "ok: attaches" or the reason it cannot. */
  public static String check(Probe probe) {
    for (String tp : probe.tracepoints()) {
      String[] parts = tp.split("/", 2);
      if (!Tracefs.hasTracepoint(parts[0], parts[1])) {
        return "no: tracepoint " + tp + " does not exist on this kernel";
      }
    }
    try (BpfObject o = BpfObject.open(probe.name(), LoadedProbe.objectBytes(probe))) {
      o.writeConfig(probe.config(ProbeSettings.defaults(), ProbeOptions.none()));
      o.setMaxEntries("events", 4096 * 4);
      probe.prepare(o, ProbeOptions.none());
      o.load();
      probe.attach(o);
      return "ok: loads and attaches";
    } catch (BpfException e) {
      return "no: " + e.getMessage();
    }
  }
}

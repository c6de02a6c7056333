package dev.bpfstream.collector.probe;

import dev.bpfstream.collector.enrich.BootClock;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.collector.enrich.Redactor;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.namespace.NamespaceObserver;
import dev.bpfstream.collector.ring.RecordHandler;
import dev.bpfstream.collector.sink.EventSink;

/** A probe's record handler exactly as a ring reader calls it, without the kernel (benchmarks). */
public final class ProbeHotPath {
  private ProbeHotPath() {
  }

  public static RecordHandler handler(Probe probe, HostIdentity host, BootClock clock, EventSink sink, ProbeCounters counters) {
    DecodeContext ctx = new DecodeContext(new TaskContextReader(host, clock, cgroup -> null), sink, counters,
        Redactor.defaults(), NamespaceObserver.NONE);
    return LoadedProbe.guarded(probe.decoder(ctx), counters);
  }
}

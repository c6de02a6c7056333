package dev.bpfstream.collector.health;

import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.collector.probe.KernelStats;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.ProbeHealth;

/** Builds the collector's self-report from its probes' counters, kernel-side and user-side. */
public final class HealthReport {
  private HealthReport() {
  }

  /** A probe that never attached: its counters stay zero, its error says why. */
  public record Failed(String probe, String error) {
  }

  public static CollectorHealth build(String hostId, String hostname, long nowNs, long intervalNs, long startedNs,
                                      String version, List<LoadedProbe> running, List<Failed> failed,
                                      long produceErrors) {
    List<ProbeHealth> probes = new ArrayList<>();
    for (LoadedProbe p : running) {
      ProbeCounters c = p.context().counters();
      KernelStats k = p.kernelStats();
      probes.add(ProbeHealth.newBuilder()
          .setProbe(p.probe().name())
          .setAttached(true)
          .setAttachError(null)
          .setAttempted(k.attempted())
          .setDelivered(c.delivered.sum())
          .setLostKernel(k.lost())
          .setLostUser(p.reader().source().lostSamples())
          .setParseErrors(c.parseErrors.sum() + p.reader().source().malformed())
          .setRateLimited(k.rateLimited() + c.rateLimited.sum())
          .setProduced(c.produced.sum())
          .setSpooled(c.spooled.sum())
          .setDropped(c.dropped.sum())
          .setOverflow(k.overflow())
          .build());
    }
    for (Failed f : failed) {
      probes.add(ProbeHealth.newBuilder().setProbe(f.probe()).setAttached(false).setAttachError(f.error())
          .setAttempted(0).setDelivered(0).setLostKernel(0).setLostUser(0).setParseErrors(0).setProduced(0)
          .build());
    }
    return CollectorHealth.newBuilder()
        .setHostId(hostId)
        .setHostname(hostname)
        .setTimeNs(nowNs)
        .setIntervalNs(intervalNs)
        .setStartedNs(startedNs)
        .setVersion(version)
        .setKernelRelease(ProcessResources.kernelRelease())
        .setProbes(probes)
        .setProduceErrors(produceErrors)
        .setRssBytes(ProcessResources.rssBytes())
        .setCpuNs(ProcessResources.cpuNs(ProcessHandle.current().pid()))
        .build();
  }
}

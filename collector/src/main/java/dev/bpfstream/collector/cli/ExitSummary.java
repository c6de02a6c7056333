package dev.bpfstream.collector.cli;

import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.event.ProbeHealth;

/**
 * What `collector run` prints on stderr as it exits, one line per probe, as bpftrace prints
 * "Lost N events": the kernel side (attempted, delivered to the reader, lost with the ring full,
 * rate-limited) and the sink side (produced: written or acknowledged; dropped), final figures,
 * where /metrics trails by up to one interval.
 */
final class ExitSummary {
  private ExitSummary() {
  }

  static List<String> lines(List<ProbeHealth> probes) {
    List<String> out = new ArrayList<>();
    for (ProbeHealth p : probes) {
      if (!p.getAttached()) {
        out.add("probe " + p.getProbe() + ": not attached (" + p.getAttachError() + ")");
        continue;
      }
      StringBuilder b = new StringBuilder("probe ").append(p.getProbe()).append(':')
          .append(" attempted=").append(p.getAttempted())
          .append(" delivered=").append(p.getDelivered())
          .append(" lost=").append(p.getLostKernel() + p.getLostUser())
          .append(" rate-limited=").append(p.getRateLimited())
          .append(" produced=").append(p.getProduced())
          .append(" dropped=").append(p.getDropped());
      if (p.getSpooled() > 0) {
        b.append(" spooled=").append(p.getSpooled());
      }
      if (p.getParseErrors() > 0) {
        b.append(" parse-errors=").append(p.getParseErrors());
      }
      out.add(b.toString());
    }
    return out;
  }
}

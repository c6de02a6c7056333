package dev.bpfstream.console;

import java.time.Duration;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.event.ProfileSample;
import dev.bpfstream.event.WorkloadSummary;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the pages show, kept in memory for {@code retention}: collector health, workload and
 * latency summaries, profile samples, alerts and the namespace inventory. Every part is bounded
 * by count as well, so a large fleet shortens how far back the console sees instead of
 * exhausting the heap; what was evicted is counted and the pages say from when they have data.
 */
final class ConsoleStore {
  final HealthHistory health = new HealthHistory();
  final SummaryHistory<WorkloadSummary> workloads = new SummaryHistory<>(WorkloadSummary::getWindowEndNs, 400_000);
  final SummaryHistory<LatencySummary> latencies = new SummaryHistory<>(LatencySummary::getWindowEndNs, 200_000);
  final ProfileHistory profile;
  final AlertHistory alerts = new AlertHistory();
  final NamespaceInventory namespaces = new NamespaceInventory();
  final KnownScopes scopes = new KnownScopes();
  private final Duration retention;

  ConsoleStore(Duration retention, int maxProfileRows) {
    this.retention = retention;
    this.profile = new ProfileHistory(maxProfileRows);
  }

  Duration retention() {
    return retention;
  }

  /** Takes one record; the name of what changed for live pages, or null when no view needs redrawing yet. */
  String accept(SpecificRecord r) {
    if (r instanceof CollectorHealth h) {
      scopes.host(h.getHostId(), h.getHostname());
      health.add(h);
      return "health";
    }
    if (r instanceof WorkloadSummary w) {
      if (w.getHostId() != null) {
        scopes.host(w.getHostId(), w.getHostname());
      }
      scopes.container(w.getContainerId(), w.getHostId());
      if (w.getNamespace() != null && w.getNamespace().startsWith("pid:")) {
        try {
          scopes.pidNamespace(Long.parseLong(w.getNamespace().substring(4)), w.getHostId());
        } catch (NumberFormatException ignored) {
          // not a pid namespace inode: nothing to remember
        }
      }
      return workloads.add(w) ? "workload" : null;
    }
    if (r instanceof LatencySummary l) {
      if (l.getHostId() != null) {
        scopes.host(l.getHostId(), l.getHostname());
      }
      return latencies.add(l) ? "latency" : null;
    }
    if (r instanceof ProfileSample p) {
      scopes.host(p.getCtx().getHostId(), p.getCtx().getHostname());
      scopes.container(p.getCtx().getContainerId(), p.getCtx().getHostId());
      scopes.pidNamespace(p.getCtx().getNs().getPid(), p.getCtx().getHostId());
      return profile.add(p) ? "profile" : null;
    }
    if (r instanceof Alert a) {
      alerts.add(a);
      return "alert";
    }
    if (r instanceof NamespaceMetadata m) {
      scopes.host(m.getHostId(), m.getHostname());
      scopes.container(m.getContainerId(), m.getHostId());
      if (m.getKind() == dev.bpfstream.event.NamespaceKind.PID) {
        scopes.pidNamespace(m.getInode(), m.getHostId());
      }
      namespaces.add(m);
      return "namespace";
    }
    return null;
  }

  /** Drops what is older than the retention. */
  void evict(long nowMs) {
    long before = (nowMs - retention.toMillis()) * 1_000_000;
    health.evictBefore(before);
    workloads.evictBefore(before);
    latencies.evictBefore(before);
    profile.evictBefore(before);
  }
}

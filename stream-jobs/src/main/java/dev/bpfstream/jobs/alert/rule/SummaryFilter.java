package dev.bpfstream.jobs.alert.rule;

import java.io.Serializable;
import java.util.Set;

import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.WorkloadSummary;

/**
 * Which summaries a windowed rule looks at (the rules file's {@code where:}). An empty set matches
 * anything; hosts match the host id or the hostname.
 */
public record SummaryFilter(Set<Scope> scopes, Set<String> latencyKinds, Set<String> dimensions,
                            Set<String> dimensionValues, Set<String> hosts, Set<String> containers) implements Serializable {
  public static final SummaryFilter ANY = new SummaryFilter(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

  public boolean matches(WorkloadSummary s) {
    return in(scopes, s.getScope())
        && host(s.getHostId(), s.getHostname())
        && in(containers, s.getContainerId());
  }

  public boolean matches(LatencySummary s) {
    return in(scopes, s.getScope())
        && in(latencyKinds, s.getKind().name())
        && in(dimensions, s.getDimension())
        && in(dimensionValues, s.getDimensionValue())
        && host(s.getHostId(), s.getHostname());
  }

  private boolean host(String hostId, String hostname) {
    return hosts.isEmpty() || (hostId != null && hosts.contains(hostId)) || (hostname != null && hosts.contains(hostname));
  }

  private static <T> boolean in(Set<T> allowed, T value) {
    return allowed.isEmpty() || (value != null && allowed.contains(value));
  }
}

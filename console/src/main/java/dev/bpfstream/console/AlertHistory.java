package dev.bpfstream.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;

/** Every alert (rule and subject) with its newest record and how many state changes it had; bounded, the oldest go first. */
final class AlertHistory {
  static final int MAX_ALERTS = 20_000;

  record Entry(Alert latest, int changes) {
    boolean open() {
      return latest.getState() != AlertState.RESOLVED;
    }
  }

  private final Map<String, Entry> alerts = new LinkedHashMap<>();
  private long evicted;

  synchronized void add(Alert a) {
    Entry prev = alerts.remove(a.getAlertId()); // re-inserted: the map stays in order of the last change
    if (prev != null && prev.latest().getLastSeenNs() > a.getLastSeenNs() && prev.latest().getState() == AlertState.RESOLVED) {
      alerts.put(a.getAlertId(), new Entry(prev.latest(), prev.changes() + 1)); // an old record replayed after its resolution
      return;
    }
    alerts.put(a.getAlertId(), new Entry(a, prev == null ? 1 : prev.changes() + 1));
    if (alerts.size() > MAX_ALERTS) {
      String oldest = alerts.keySet().iterator().next();
      alerts.remove(oldest);
      evicted++;
    }
  }

  /** The alerts of {@code scope} open now or seen in {@code range}, newest first. */
  synchronized List<Entry> select(ViewScope scope, TimeRange range) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : alerts.values()) {
      Alert a = e.latest();
      if (scope.host() != null && a.getHostId() != null && !scope.host().equals(a.getHostId())) {
        continue;
      }
      if (scope.host() != null && a.getHostId() == null) {
        continue;
      }
      if (scope.container() != null && !scope.container().equals(a.getContainerId())) {
        continue;
      }
      if (scope.pidNs() != null && !("pid:" + scope.pidNs()).equals(a.getNamespace())) {
        continue;
      }
      boolean inRange = a.getLastSeenNs() / 1_000_000 >= range.fromMs() && a.getFirstSeenNs() / 1_000_000 <= range.toMs();
      if (e.open() || inRange) {
        out.add(e);
      }
    }
    out.sort(Comparator.comparingLong((Entry e) -> e.latest().getLastSeenNs()).reversed());
    return out;
  }

  synchronized long openCount(ViewScope scope) {
    return alerts.values().stream().filter(Entry::open)
        .filter(e -> scope.host() == null || scope.host().equals(e.latest().getHostId())).count();
  }

  synchronized long evicted() {
    return evicted;
  }
}

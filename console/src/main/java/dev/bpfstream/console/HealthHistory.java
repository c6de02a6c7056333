package dev.bpfstream.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.ProbeHealth;

/**
 * Each collector's completeness per reporting interval, from {@code collector.health}: the
 * reports carry counters cumulative since the collector started, so each point is the difference
 * to the host's previous report (a new {@code startedNs} is a restart: its counters are the
 * difference). Bounded per host by count and age.
 */
final class HealthHistory {
  static final int MAX_POINTS_PER_HOST = 4_096;
  static final int MAX_HOSTS = 20_000;

  /** What one host's collector did in one interval ending at {@code timeNs}. */
  record Point(long timeNs, long attempted, long delivered, long lost, long rateLimited, long dropped,
               Map<String, Long> lostByProbe) {
  }

  private static final class Host {
    final String id;
    String name;
    CollectorHealth last;
    final ArrayDeque<Point> points = new ArrayDeque<>();

    Host(String id) {
      this.id = id;
    }
  }

  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private long evicted;

  synchronized void add(CollectorHealth h) {
    Host host = hosts.get(h.getHostId());
    if (host == null) {
      if (hosts.size() >= MAX_HOSTS) {
        evicted++;
        return;
      }
      host = new Host(h.getHostId());
      hosts.put(host.id, host);
    }
    host.name = h.getHostname();
    CollectorHealth prev = host.last;
    if (prev != null && h.getTimeNs() <= prev.getTimeNs()) {
      return; // a replayed or reordered report
    }
    boolean restarted = prev == null || prev.getStartedNs() != h.getStartedNs();
    // A first report of a collector that started long before the console: its totals span more
    // than one interval and are not a point of the series; a restart's are.
    boolean fresh = h.getTimeNs() - h.getStartedNs() <= 3 * Math.max(h.getIntervalNs(), 1_000_000_000L);
    if (!restarted || fresh) {
      host.points.addLast(delta(restarted ? null : prev, h));
      while (host.points.size() > MAX_POINTS_PER_HOST) {
        host.points.removeFirst();
        evicted++;
      }
    }
    host.last = h;
  }

  private static Point delta(CollectorHealth prev, CollectorHealth now) {
    Map<String, ProbeHealth> before = new LinkedHashMap<>();
    if (prev != null) {
      prev.getProbes().forEach(p -> before.put(p.getProbe(), p));
    }
    long attempted = 0;
    long delivered = 0;
    long lost = 0;
    long limited = 0;
    long dropped = 0;
    Map<String, Long> lostByProbe = new TreeMap<>();
    for (ProbeHealth p : now.getProbes()) {
      ProbeHealth b = before.get(p.getProbe());
      long a = p.getAttempted() - (b == null ? 0 : b.getAttempted());
      long d = p.getDelivered() - (b == null ? 0 : b.getDelivered());
      long l = p.getLostKernel() + p.getLostUser() - (b == null ? 0 : b.getLostKernel() + b.getLostUser());
      long r = p.getRateLimited() - (b == null ? 0 : b.getRateLimited());
      long x = p.getDropped() - (b == null ? 0 : b.getDropped());
      attempted += Math.max(0, a);
      delivered += Math.max(0, d);
      lost += Math.max(0, l);
      limited += Math.max(0, r);
      dropped += Math.max(0, x);
      if (l > 0) {
        lostByProbe.put(p.getProbe(), l);
      }
    }
    return new Point(now.getTimeNs(), attempted, delivered, lost, limited, dropped, lostByProbe);
  }

  synchronized void evictBefore(long timeNs) {
    for (Host h : hosts.values()) {
      while (!h.points.isEmpty() && h.points.peekFirst().timeNs() < timeNs) {
        h.points.removeFirst();
        evicted++;
      }
    }
  }

  /** Per host in {@code scope}: id, name, last report and the points in {@code range}. */
  record HostView(String id, String name, CollectorHealth last, List<Point> points) {
    long lost() {
      return points.stream().mapToLong(Point::lost).sum();
    }

    long rateLimited() {
      return points.stream().mapToLong(Point::rateLimited).sum();
    }

    long dropped() {
      return points.stream().mapToLong(Point::dropped).sum();
    }
  }

  synchronized List<HostView> view(ViewScope scope, TimeRange range) {
    List<HostView> out = new ArrayList<>();
    for (Host h : hosts.values()) {
      if (!scope.matchesHost(h.id)) {
        continue;
      }
      List<Point> in = h.points.stream().filter(p -> range.containsNs(p.timeNs())).toList();
      out.add(new HostView(h.id, h.name, h.last, in));
    }
    return out;
  }

  synchronized Map<String, String> hostNames() {
    Map<String, String> names = new LinkedHashMap<>();
    hosts.values().forEach(h -> names.put(h.id, h.name));
    return names;
  }

  synchronized long evicted() {
    return evicted;
  }
}

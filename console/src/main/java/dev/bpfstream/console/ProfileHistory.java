package dev.bpfstream.console;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.ProfileSample;
import dev.bpfstream.event.TaskContext;

/**
 * The CPU samples of {@code bpf.profile} as rows (interval, host, container, pid namespace,
 * stack, count), stacks and frame names interned. Bounded by rows (the oldest go first, counted);
 * a view sums the rows of its scope and range.
 */
final class ProfileHistory {
  static final String LOST_USER = "[lost user stack]";
  static final String LOST_KERNEL = "[lost kernel stack]";

  record Row(long startNs, long endNs, String host, String container, long pidNs, Stack stack, long count) {
  }

  private final int maxRows;
  private final ArrayDeque<Row> rows = new ArrayDeque<>();
  private Map<Stack, Stack> stacks = new HashMap<>();
  private Map<String, String> names = new HashMap<>();
  private long evicted;
  private long evictedSinceCompaction;
  private long latestEndNs;

  ProfileHistory(int maxRows) {
    this.maxRows = maxRows;
  }

  /** Adds one record; true when it starts a newer interval. */
  synchronized boolean add(ProfileSample s) {
    TaskContext c = s.getCtx();
    Row row = new Row(s.getIntervalStartNs(), s.getIntervalEndNs(), name(c.getHostId()),
        c.getContainerId() == null ? null : name(c.getContainerId()), c.getNs().getPid(), stack(s), s.getCount());
    rows.addLast(row);
    while (rows.size() > maxRows) {
      rows.removeFirst();
      evicted++;
      evictedSinceCompaction++;
    }
    compactIfWorthIt();
    if (row.endNs() > latestEndNs) {
      latestEndNs = row.endNs();
      return true;
    }
    return false;
  }

  private Stack stack(ProfileSample s) {
    List<String> user = s.getUserFrames();
    List<String> kernel = s.getKernelFrames();
    int n = 1 + (s.getUserStackLost() ? 1 : 0) + user.size() + (s.getKernelStackLost() ? 1 : 0) + kernel.size();
    String[] f = new String[n];
    int i = 0;
    f[i++] = frame(s.getCtx().getComm());
    if (s.getUserStackLost()) {
      f[i++] = LOST_USER;
    }
    for (int u = user.size() - 1; u >= 0; u--) {
      f[i++] = frame(user.get(u));
    }
    int firstKernel = i;
    if (s.getKernelStackLost()) {
      f[i++] = LOST_KERNEL;
    }
    for (int k = kernel.size() - 1; k >= 0; k--) {
      f[i++] = frame(kernel.get(k));
    }
    Stack fresh = new Stack(f, firstKernel);
    return stacks.computeIfAbsent(fresh, x -> x);
  }

  /** ';' separates frames in folded stacks and in a zoom path: one inside a name becomes ':' (as the collector's folded form does). */
  private String frame(String s) {
    return name(s == null || s.indexOf(';') < 0 ? s : s.replace(';', ':'));
  }

  private String name(String s) {
    String v = s == null ? "" : s;
    return names.computeIfAbsent(v, x -> x);
  }

  /** After many evictions, interned stacks and names no row uses any more are let go. */
  private void compactIfWorthIt() {
    if (evictedSinceCompaction < Math.max(10_000, maxRows / 2)) {
      return;
    }
    Map<Stack, Stack> liveStacks = new HashMap<>();
    Map<String, String> liveNames = new HashMap<>();
    for (Row r : rows) {
      liveStacks.put(r.stack(), r.stack());
      for (String f : r.stack().frames) {
        liveNames.put(f, f);
      }
      liveNames.put(r.host(), r.host());
      if (r.container() != null) {
        liveNames.put(r.container(), r.container());
      }
    }
    stacks = liveStacks;
    names = liveNames;
    evictedSinceCompaction = 0;
  }

  synchronized void evictBefore(long timeNs) {
    while (!rows.isEmpty() && rows.peekFirst().endNs() < timeNs) {
      rows.removeFirst();
      evicted++;
      evictedSinceCompaction++;
    }
  }

  /** Samples per stack of the rows in {@code scope} whose interval overlaps {@code range}. */
  synchronized Map<Stack, Long> samples(ViewScope scope, TimeRange range) {
    Map<Stack, Long> out = new HashMap<>();
    for (Row r : rows) {
      if (range.overlapsNs(r.startNs(), r.endNs()) && scope.matches(r.host(), r.container(), r.pidNs())) {
        out.merge(r.stack(), r.count(), Long::sum);
      }
    }
    return out;
  }

  synchronized long oldestStartNs() {
    return rows.isEmpty() ? 0 : rows.peekFirst().startNs();
  }

  synchronized int size() {
    return rows.size();
  }

  synchronized long evicted() {
    return evicted;
  }
}

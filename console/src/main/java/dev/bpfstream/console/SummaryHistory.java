package dev.bpfstream.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The summaries of one topic ({@code agg.workload} or {@code agg.latency}) in arrival order,
 * bounded by count and by age; the oldest go first, counted.
 */
final class SummaryHistory<T> {
  private final ToLongFunction<T> windowEndNs;
  private final int maxRecords;
  private final ArrayDeque<T> records = new ArrayDeque<>();
  private long evicted;
  private long latestWindowEndNs;

  SummaryHistory(ToLongFunction<T> windowEndNs, int maxRecords) {
    this.windowEndNs = windowEndNs;
    this.maxRecords = maxRecords;
  }

  /** Adds {@code r}; true when it is the first of a newer window (a window has closed). */
  synchronized boolean add(T r) {
    records.addLast(r);
    if (records.size() > maxRecords) {
      records.removeFirst();
      evicted++;
    }
    long end = windowEndNs.applyAsLong(r);
    if (end > latestWindowEndNs) {
      latestWindowEndNs = end;
      return true;
    }
    return false;
  }

  synchronized void evictBefore(long timeNs) {
    while (!records.isEmpty() && windowEndNs.applyAsLong(records.peekFirst()) < timeNs) {
      records.removeFirst();
      evicted++;
    }
  }

  /** The records whose window ends in {@code range} and that {@code filter} accepts, oldest first. */
  synchronized List<T> select(TimeRange range, Predicate<T> filter) {
    List<T> out = new ArrayList<>();
    for (T r : records) {
      long end = windowEndNs.applyAsLong(r);
      if (end / 1_000_000 > range.fromMs() && end / 1_000_000 <= range.toMs() && filter.test(r)) {
        out.add(r);
      }
    }
    return out;
  }

  synchronized long oldestWindowEndNs() {
    return records.isEmpty() ? 0 : windowEndNs.applyAsLong(records.peekFirst());
  }

  synchronized int size() {
    return records.size();
  }

  synchronized long evicted() {
    return evicted;
  }
}

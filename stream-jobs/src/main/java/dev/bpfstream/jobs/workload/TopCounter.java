package dev.bpfstream.jobs.workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import dev.bpfstream.event.TopEntry;

/**
 * Events, bytes and CPU samples per key (a process, user, container, remote address or stack),
 * mergeable. Bounded: past {@code 2 x capacity} keys the smallest are folded into the key
 * {@link #OTHER} down to {@code capacity}, so totals stay whole and a top list stays exact for keys
 * that were never folded (all of them below the bound).
 */
public final class TopCounter {
  public static final String OTHER = "(other)";
  public static final int DEFAULT_CAPACITY = 1024;
  static final int EVENTS = 0;
  static final int BYTES = 1;
  static final int SAMPLES = 2;

  final Map<String, long[]> counts;
  final int capacity;

  public TopCounter() {
    this(DEFAULT_CAPACITY);
  }

  public TopCounter(int capacity) {
    this.capacity = capacity;
    this.counts = new HashMap<>();
  }

  public void add(String key, long events, long bytes, long samples) {
    long[] c = counts.get(key);
    if (c == null) {
      c = new long[3];
      counts.put(key, c);
    }
    c[EVENTS] += events;
    c[BYTES] += bytes;
    c[SAMPLES] += samples;
    if (counts.size() > 2 * capacity) {
      prune();
    }
  }

  /** Adds another counter's entries, their keys prefixed (e.g. with the host for fleet-wide process lists). */
  public void merge(TopCounter other, String prefix) {
    for (Map.Entry<String, long[]> e : other.counts.entrySet()) {
      long[] v = e.getValue();
      String key = prefix == null || e.getKey().equals(OTHER) ? e.getKey() : prefix + e.getKey();
      add(key, v[EVENTS], v[BYTES], v[SAMPLES]);
    }
  }

  public int size() {
    return counts.size();
  }

  /**
   * The entries in the top {@code n} by events, by bytes or by CPU samples (so up to 3n), largest
   * event count first.
   */
  public List<TopEntry> top(int n) {
    Set<String> keys = new LinkedHashSet<>();
    for (int metric = 0; metric < 3; metric++) {
      final int m = metric;
      counts.entrySet().stream()
          .filter(e -> e.getValue()[m] > 0)
          .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[m]).thenComparing(Map.Entry::getKey))
          .limit(n)
          .forEach(e -> keys.add(e.getKey()));
    }
    List<TopEntry> out = new ArrayList<>();
    for (String k : keys) {
      long[] v = counts.get(k);
      out.add(new TopEntry(k, v[EVENTS], v[BYTES], v[SAMPLES]));
    }
    out.sort(Comparator.comparingLong((TopEntry e) -> -e.getEvents())
        .thenComparingLong(e -> -e.getCpuSamples())
        .thenComparingLong(e -> -e.getBytes())
        .thenComparing(TopEntry::getKey));
    return out;
  }

  private void prune() {
    foldSmallest(counts, capacity, v -> v[EVENTS] + v[SAMPLES], () -> new long[3], (other, v) -> {
      other[EVENTS] += v[EVENTS];
      other[BYTES] += v[BYTES];
      other[SAMPLES] += v[SAMPLES];
    });
  }

  /** Folds all but the {@code keep} heaviest entries into the entry {@link #OTHER}. */
  static <V> void foldSmallest(Map<String, V> entries, int keep, ToLongFunction<V> weight, Supplier<V> empty,
                               BiConsumer<V, V> foldInto) {
    List<Map.Entry<String, V>> sorted = new ArrayList<>(entries.entrySet());
    sorted.removeIf(e -> e.getKey().equals(OTHER));
    sorted.sort(Comparator.comparingLong(e -> -weight.applyAsLong(e.getValue())));
    V other = entries.computeIfAbsent(OTHER, k -> empty.get());
    for (int i = keep; i < sorted.size(); i++) {
      foldInto.accept(other, sorted.get(i).getValue());
      entries.remove(sorted.get(i).getKey());
    }
  }

  public TopCounter copy() {
    TopCounter c = new TopCounter(capacity);
    counts.forEach((k, v) -> c.counts.put(k, v.clone()));
    return c;
  }
}

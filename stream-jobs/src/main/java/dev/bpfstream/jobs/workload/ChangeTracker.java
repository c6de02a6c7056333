package dev.bpfstream.jobs.workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.bpfstream.event.FigureChange;

/**
 * How a scope's figures are changing: each against the previous window (0 if the scope was silent
 * then) and against an exponentially weighted moving average of earlier windows (silent windows
 * count as zeros), with the biggest movers against that baseline called out.
 */
public final class ChangeTracker {
  /** Weight of the newest window in the moving average. */
  public static final double ALPHA = 0.3;
  /** A figure moves when it is at least this factor above or below its baseline. */
  public static final double MOVER_FACTOR = 1.5;
  public static final int MAX_MOVERS = 3;
  /** Added to both sides of a ratio so figures near zero do not make every blip a mover. */
  static final double EPSILON = 0.1;

  private ChangeTracker() {
  }

  public record Result(List<FigureChange> changes, List<String> movers, Baseline next) {
  }

  /**
   * @param previous what earlier windows of this scope left, or null for its first window
   */
  public static Result compare(Baseline previous, long windowStartMs, long windowMs, Map<String, Double> figures) {
    Baseline next = new Baseline();
    next.lastWindowStartMs = windowStartMs;
    next.last.putAll(figures);
    List<FigureChange> changes = new ArrayList<>();
    if (previous == null || windowStartMs <= previous.lastWindowStartMs) {
      figures.forEach((k, v) -> {
        changes.add(new FigureChange(k, v, null, null, null, null));
        next.average.put(k, v);
      });
      return new Result(changes, List.of(), previous == null ? next : previous);
    }
    long skipped = (windowStartMs - previous.lastWindowStartMs) / windowMs - 1;
    double decay = Math.pow(1 - ALPHA, Math.max(0, skipped));
    Set<String> keys = new LinkedHashSet<>(figures.keySet());
    keys.addAll(previous.last.keySet());
    keys.addAll(previous.average.keySet());
    List<double[]> scores = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String k : keys) {
      double value = figures.getOrDefault(k, 0.0);
      double prev = skipped == 0 ? previous.last.getOrDefault(k, 0.0) : 0.0;
      double base = previous.average.getOrDefault(k, 0.0) * decay;
      double avg = ALPHA * value + (1 - ALPHA) * base;
      if (avg > 1e-9) {
        next.average.put(k, avg);
      }
      if (!figures.containsKey(k) && value == 0 && prev == 0 && base < 1e-9) {
        continue;
      }
      changes.add(new FigureChange(k, value, prev, base, prev > 0 ? value / prev : null, base > 0 ? value / base : null));
      double score = Math.abs(Math.log((value + EPSILON) / (base + EPSILON)));
      if (score >= Math.log(MOVER_FACTOR)) {
        scores.add(new double[] {score, names.size(), value, base});
        names.add(k);
      }
    }
    scores.sort(Comparator.comparingDouble((double[] s) -> -s[0]).thenComparingDouble(s -> s[1]));
    List<String> movers = new ArrayList<>();
    for (int i = 0; i < Math.min(MAX_MOVERS, scores.size()); i++) {
      double[] s = scores.get(i);
      movers.add(String.format(Locale.ROOT, "%s: %.4g vs baseline %.4g (%s)", names.get((int) s[1]), s[2], s[3],
          s[3] > 0 ? String.format(Locale.ROOT, "x%.2f", s[2] / s[3]) : "new"));
    }
    return new Result(changes, movers, next);
  }
}

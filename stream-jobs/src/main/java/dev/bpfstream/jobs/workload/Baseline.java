package dev.bpfstream.jobs.workload;

import java.util.HashMap;
import java.util.Map;

/**
 * What a scope's earlier windows left: the last window's figures and an exponentially weighted
 * moving average of each figure.
 */
public final class Baseline {
  long lastWindowStartMs;
  final Map<String, Double> last = new HashMap<>();
  final Map<String, Double> average = new HashMap<>();

  public long lastWindowStartMs() {
    return lastWindowStartMs;
  }
}

package dev.bpfstream.jobs.alert.rule;

import java.io.Serializable;

/** What a windowed rule checks on one figure of one subject. */
public sealed interface Condition extends Serializable permits Condition.Threshold, Condition.RateOfChange {

  /**
   * Fires when the value passes {@code limit}; once firing, holds while it stays past {@code clear}
   * (hysteresis: clear is at or inside the limit).
   */
  record Threshold(Comparison comparison, double limit, double clear) implements Condition {
    public boolean starts(double value) {
      return comparison.holds(value, limit);
    }

    public boolean holds(double value) {
      return comparison.holds(value, clear);
    }
  }

  /**
   * Fires when the value is at least {@code factor} times its baseline (or at most, for a factor
   * below 1). The baseline is an exponentially weighted mean of earlier non-firing windows, learnt
   * over {@code baselineWindows} windows before the rule judges; values under {@code minValue} never fire.
   */
  record RateOfChange(double factor, int baselineWindows, double minValue) implements Condition {
    public boolean holds(double value, double baseline) {
      if (value < minValue && factor > 1) {
        return false;
      }
      return factor > 1 ? value >= factor * baseline : value <= factor * baseline;
    }

    /** Weight of a new window in the baseline. */
    public double alpha() {
      return 2.0 / (baselineWindows + 1);
    }
  }
}

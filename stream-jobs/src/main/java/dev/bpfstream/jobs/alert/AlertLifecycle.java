package dev.bpfstream.jobs.alert;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import dev.bpfstream.jobs.alert.rule.AbsenceRule;
import dev.bpfstream.jobs.alert.rule.Condition;
import dev.bpfstream.options.Durations;
import dev.bpfstream.jobs.alert.rule.PatternRule;
import dev.bpfstream.jobs.alert.rule.Rule;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import dev.bpfstream.jobs.alert.rule.SummaryRule;

/**
 * De-duplication and hysteresis of one alert id, as a pure function of (rule, state, observation):
 * one FIRING when the condition starts, UPDATEs while it lasts (at most one per {@code update-every}
 * of event time), one RESOLVED when it ends.
 *
 * <ul>
 *   <li>Windowed rules fire after {@code windows} consecutive windows with the condition, hold while
 *       the value stays past the clear level, and resolve after {@code clear-windows} windows without
 *       it, or when the subject sent nothing for {@code stale-windows} window lengths.</li>
 *   <li>Pattern rules fire on the first matching event and resolve after {@code resolve-after}
 *       without one; absence rules fire on silence and resolve when the host reports again.</li>
 * </ul>
 * The quiet timeouts run on the job's clock (processing time): they are about data that did not come.
 */
public final class AlertLifecycle implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, Rule> rules;

  public AlertLifecycle(RuleSet rules) {
    this.rules = rules.byId();
  }

  /** What one observation did: an alert to emit (or null), and whether it was an out-of-order window that was ignored. */
  public record Step(Alert alert, boolean outOfOrder) {
    static final Step OUT_OF_ORDER = new Step(null, true);
  }

  public Rule rule(String ruleId) {
    Rule r = rules.get(ruleId);
    if (r == null) {
      throw new IllegalStateException("observation for unknown rule " + ruleId);
    }
    return r;
  }

  public Step observe(Observation o, TrackerState s, long nowMs) {
    Rule rule = rule(o.ruleId);
    if (rule instanceof SummaryRule sr) {
      if (s.lastWindowEndNs != 0 && o.windowEndNs <= s.lastWindowEndNs) {
        return Step.OUT_OF_ORDER;
      }
      s.lastArrivalMs = nowMs;
      s.last = o;
      return new Step(window(sr, o, s), false);
    }
    s.lastArrivalMs = nowMs;
    s.last = o;
    return new Step(event(rule, o, s), false);
  }

  /**
   * How long the subject may stay quiet before a firing alert resolves and its state is dropped;
   * 0 for never (absence rules resolve when the host reports again).
   */
  public long quietMs(TrackerState s) {
    if (s.last == null) {
      return 0;
    }
    Rule rule = rule(s.last.ruleId);
    if (rule instanceof SummaryRule) {
      long windowMs = Math.max(1, (s.last.windowEndNs - s.last.windowStartNs) / 1_000_000L);
      return rule.policy().staleWindows() * windowMs;
    }
    if (rule instanceof PatternRule) {
      return rule.policy().resolveAfterMs();
    }
    return 0;
  }

  /** The quiet timeout passed with no observation: the RESOLVED record when the alert was firing, else null. */
  public Alert quiet(TrackerState s, long nowMs) {
    if (!s.active || s.last == null) {
      return null;
    }
    Rule rule = rule(s.last.ruleId);
    long quietMs = nowMs - s.lastArrivalMs;
    String why = rule instanceof SummaryRule
        ? "no summary for " + s.last.subject + " in " + Durations.format(quietMs * 1e6) + " (stale-windows " + rule.policy().staleWindows() + ")"
        : "no matching event for " + Durations.format(quietMs * 1e6) + " on " + s.last.subject;
    s.active = false;
    return alert(rule, s.last, s, AlertState.RESOLVED, "resolved: " + why, s.peak, threshold(rule, s.last));
  }

  private Alert window(SummaryRule rule, Observation o, TrackerState s) {
    boolean contiguous = s.lastWindowEndNs == 0 || o.windowStartNs <= s.lastWindowEndNs;
    s.lastWindowEndNs = o.windowEndNs;
    if (!contiguous) {
      s.hits = 0;
    }
    double v = o.value;
    boolean hit;
    Double limit;
    String clearText;
    if (rule.condition() instanceof Condition.Threshold t) {
      hit = s.active ? t.holds(v) : t.starts(v);
      limit = t.limit();
      clearText = (t.comparison().symbol().equals(">") ? "below " : "above ") + show(rule, t.clear());
    } else {
      Condition.RateOfChange c = (Condition.RateOfChange) rule.condition();
      boolean ready = s.baselineWindows >= c.baselineWindows();
      hit = ready && c.holds(v, s.baseline);
      limit = ready ? c.factor() * s.baseline : null;
      clearText = "within ×" + Durations.trim(c.factor()) + " of baseline " + show(rule, s.baseline);
      if (!hit) {
        // Firing windows stay out of the baseline, so a lasting spike keeps firing instead of becoming normal.
        s.baseline = s.baselineWindows == 0 ? v : s.baseline + c.alpha() * (v - s.baseline);
        s.baselineWindows++;
      }
    }
    if (hit) {
      if (s.hits == 0) {
        s.streakStartNs = o.windowStartNs;
      }
      s.hits++;
      s.misses = 0;
    } else {
      s.misses++;
      s.hits = 0;
    }

    if (!s.active) {
      if (hit && s.hits >= rule.windows()) {
        s.active = true;
        s.firstSeenNs = s.streakStartNs;
        s.lastSeenNs = o.windowEndNs;
        s.lastEmittedNs = o.windowEndNs;
        s.matches = 1;
        s.peak = v;
        return alert(rule, o, s, AlertState.FIRING, describe(rule, o, s, limit), v, limit);
      }
      return null;
    }
    if (hit) {
      s.lastSeenNs = o.windowEndNs;
      s.matches++;
      s.peak = worse(rule, s.peak, v);
      if (o.windowEndNs - s.lastEmittedNs >= rule.policy().updateEveryNs()) {
        s.lastEmittedNs = o.windowEndNs;
        return alert(rule, o, s, AlertState.UPDATE,
            "still: " + describe(rule, o, s, limit) + " (" + s.matches + " windows, worst " + show(rule, s.peak) + ")", v, limit);
      }
      return null;
    }
    if (s.misses >= rule.policy().clearWindows()) {
      s.active = false;
      s.hits = 0;
      return alert(rule, o, s, AlertState.RESOLVED,
          "resolved: " + rule.figure() + " " + show(rule, v) + ", " + clearText + " on " + o.subject
              + " (worst " + show(rule, s.peak) + ")", v, limit);
    }
    return null;
  }

  private Alert event(Rule rule, Observation o, TrackerState s) {
    Double threshold = threshold(rule, o);
    if (o.matched) {
      if (!s.active) {
        s.active = true;
        s.firstSeenNs = o.windowEndNs;
        s.lastSeenNs = o.windowEndNs;
        s.lastEmittedNs = o.windowEndNs;
        s.matches = 1;
        s.peak = o.value;
        return alert(rule, o, s, AlertState.FIRING, o.message, o.value != null ? o.value : 1.0, threshold);
      }
      s.matches++;
      s.lastSeenNs = Math.max(s.lastSeenNs, o.windowEndNs);
      if (o.value != null && (s.peak == null || o.value > s.peak)) {
        s.peak = o.value;
      }
      if (o.windowEndNs - s.lastEmittedNs >= rule.policy().updateEveryNs()) {
        s.lastEmittedNs = o.windowEndNs;
        String suffix = rule instanceof AbsenceRule ? "" : " (" + s.matches + " matching events since first seen)";
        return alert(rule, o, s, AlertState.UPDATE, "still: " + o.message + suffix,
            o.value != null ? o.value : (double) s.matches, threshold);
      }
      return null;
    }
    if (s.active) {
      s.active = false;
      return alert(rule, o, s, AlertState.RESOLVED, "resolved: " + o.message, o.value, threshold);
    }
    return null;
  }

  private static Double threshold(Rule rule, Observation o) {
    if (rule instanceof SummaryRule sr && sr.condition() instanceof Condition.Threshold t) {
      return t.limit();
    }
    return o.threshold;
  }

  private static String describe(SummaryRule rule, Observation o, TrackerState s, Double limit) {
    StringBuilder m = new StringBuilder();
    if (!rule.description().isEmpty()) {
      m.append(rule.description()).append(": ");
    }
    m.append(rule.figure()).append(' ').append(show(rule, o.value));
    if (rule.condition() instanceof Condition.Threshold t) {
      m.append(' ').append(t.comparison().symbol()).append(' ').append(show(rule, t.limit()));
      if (rule.windows() > 1) {
        m.append(" for ").append(Math.max(rule.windows(), s.hits)).append(" consecutive windows");
      }
    } else {
      Condition.RateOfChange c = (Condition.RateOfChange) rule.condition();
      double ratio = s.baseline == 0 ? Double.POSITIVE_INFINITY : o.value / s.baseline;
      m.append(" is ").append(Double.isInfinite(ratio) ? "∞" : Durations.trim(ratio)).append("× its baseline ")
          .append(show(rule, s.baseline)).append(" (limit ×").append(Durations.trim(c.factor())).append(')');
    }
    m.append(" on ").append(o.subject);
    return m.toString();
  }

  private static Double worse(SummaryRule rule, Double peak, double v) {
    if (peak == null) {
      return v;
    }
    boolean low = rule.condition() instanceof Condition.Threshold t && t.comparison().symbol().equals("<")
        || rule.condition() instanceof Condition.RateOfChange c && c.factor() < 1;
    return low ? Math.min(peak, v) : Math.max(peak, v);
  }

  private static String show(SummaryRule rule, double v) {
    return rule.isDuration() ? Durations.format(v) : Durations.trim(v);
  }

  private static String show(SummaryRule rule, Double v) {
    return v == null ? "-" : show(rule, v.doubleValue());
  }

  private static Alert alert(Rule rule, Observation o, TrackerState s, AlertState state, String message, Double value, Double threshold) {
    List<String> evidence = new ArrayList<>(Arrays.asList(o.evidence == null ? new String[0] : o.evidence));
    return Alert.newBuilder()
        .setAlertId(o.alertId)
        .setRuleId(rule.id())
        .setSeverity(rule.severity())
        .setState(state)
        .setHostId(o.hostId)
        .setContainerId(o.containerId)
        .setNamespace(o.namespace)
        .setSubject(o.subject)
        .setFigure(o.figure)
        .setValue(value)
        .setThreshold(threshold)
        .setWindowStartNs(o.windowStartNs)
        .setWindowEndNs(o.windowEndNs)
        .setFirstSeenNs(s.firstSeenNs)
        .setLastSeenNs(s.lastSeenNs)
        .setMessage(message)
        .setEvidence(evidence)
        .build();
  }
}

package dev.bpfstream.jobs.alert;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by alert id: runs {@link AlertLifecycle} over the observations of one alert, with one
 * processing-time timer per key for the quiet timeouts. Out-of-order windows are ignored and
 * counted ({@code outOfOrderWindows}).
 */
public final class AlertTracker extends KeyedProcessFunction<String, Observation, Alert> {
  private static final long serialVersionUID = 1L;

  private final AlertLifecycle lifecycle;
  private transient ValueState<TrackerState> state;
  private transient Counter outOfOrder;
  private transient Counter firing;
  private transient Counter updates;
  private transient Counter resolved;
  /** Quiet time counts from here at the earliest: the job's downtime is not the subject's silence. */
  private transient TaskStart started;

  public AlertTracker(AlertLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public void open(OpenContext context) {
    state = getRuntimeContext().getState(new ValueStateDescriptor<>("alert", TrackerState.class));
    outOfOrder = getRuntimeContext().getMetricGroup().counter("outOfOrderWindows");
    firing = getRuntimeContext().getMetricGroup().counter("alertsFiring");
    updates = getRuntimeContext().getMetricGroup().counter("alertsUpdated");
    resolved = getRuntimeContext().getMetricGroup().counter("alertsResolved");
    started = new TaskStart();
  }

  @Override
  public void processElement(Observation o, Context ctx, Collector<Alert> out) throws Exception {
    TrackerState s = state.value();
    if (s == null) {
      s = new TrackerState();
    }
    long now = ctx.timerService().currentProcessingTime();
    started.ms(ctx.timerService());
    AlertLifecycle.Step step = lifecycle.observe(o, s, now);
    if (step.outOfOrder()) {
      outOfOrder.inc();
      return;
    }
    emit(step.alert(), out);
    long quiet = lifecycle.quietMs(s);
    if (quiet > 0 && s.timerAtMs == 0) {
      s.timerAtMs = now + quiet;
      ctx.timerService().registerProcessingTimeTimer(s.timerAtMs);
    }
    state.update(s);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
    TrackerState s = state.value();
    if (s == null) {
      return;
    }
    long quiet = lifecycle.quietMs(s);
    // After a restore the timers of the old run fire at once; what was open stays open for a quiet
    // period of the new run (an upgrade or a restart after an outage resolves nothing by itself).
    long lastArrivalMs = started.since(s.lastArrivalMs, ctx.timerService());
    if (quiet > 0 && timestamp - lastArrivalMs < quiet) {
      s.timerAtMs = lastArrivalMs + quiet;
      ctx.timerService().registerProcessingTimeTimer(s.timerAtMs);
      state.update(s);
      return;
    }
    emit(lifecycle.quiet(s, timestamp), out);
    state.clear();
  }

  private void emit(Alert a, Collector<Alert> out) {
    if (a == null) {
      return;
    }
    if (a.getState() == AlertState.FIRING) {
      firing.inc();
    } else if (a.getState() == AlertState.UPDATE) {
      updates.inc();
    } else {
      resolved.inc();
    }
    out.collect(a);
  }
}

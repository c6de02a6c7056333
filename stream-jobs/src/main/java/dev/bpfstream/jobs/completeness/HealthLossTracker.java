package dev.bpfstream.jobs.completeness;

import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.jobs.source.RestoredWatermark;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per host (keyed by host id): turns cumulative collector health counters into the losses of each
 * window. A report's losses go to the window holding its time; if the watermark has already closed
 * that window, to the earliest window still open ({@code lossesReattributed}), so no loss is dropped;
 * the watermark survives a restore ({@link RestoredWatermark}).
 */
public final class HealthLossTracker extends KeyedProcessFunction<String, CollectorHealth, LossReport>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  private final long windowMs;
  private transient ValueState<long[]> last;
  private transient Counter reattributed;
  private transient Counter stale;
  private transient RestoredWatermark frontier;

  public HealthLossTracker(long windowMs) {
    this.windowMs = windowMs;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    frontier = new RestoredWatermark();
    frontier.initialize(context.getOperatorStateStore(), context.isRestored());
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    frontier.snapshot();
  }

  @Override
  public void open(OpenContext context) {
    last = getRuntimeContext().getState(new ValueStateDescriptor<>("last-health", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    reattributed = getRuntimeContext().getMetricGroup().counter("lossesReattributed");
    stale = getRuntimeContext().getMetricGroup().counter("staleHealthReports");
  }

  @Override
  public void processElement(CollectorHealth h, Context ctx, Collector<LossReport> out) throws Exception {
    long[] l = last.value();
    HealthLosses.Last previous = l == null ? null : new HealthLosses.Last(l[0], l[1], l[2]);
    HealthLosses.Step step = HealthLosses.step(previous, h);
    if (step.stale()) {
      stale.inc();
      return;
    }
    last.update(new long[] {step.last().startedNs(), step.last().timeNs(), step.last().cumulative()});
    if (step.lost() <= 0) {
      return;
    }
    long ts = Math.floorDiv(h.getTimeNs(), 1_000_000L);
    long start = ts - Math.floorMod(ts, windowMs);
    long watermark = frontier.effective(ctx.timerService().currentWatermark());
    if (start + windowMs - 1 <= watermark) {
      long firstOpen = watermark + 1;
      start = firstOpen - Math.floorMod(firstOpen, windowMs);
      reattributed.inc();
    }
    out.collect(new LossReport(h.getHostId(), h.getHostname(), start, step.lost()));
  }
}

package dev.bpfstream.jobs.window;

import dev.bpfstream.jobs.source.RestoredWatermark;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the partials of one key into tumbling event-time windows of {@code windowMs} (which may
 * be a multiple of the partials' windows: a rollup) and emits each window's aggregate once the
 * watermark passes its end. State: one aggregate per open window, with the aggregate's own serializer,
 * and the watermark, which survives a restore ({@link RestoredWatermark}).
 */
public final class WindowMerger<A extends WindowPartial<A>> extends KeyedProcessFunction<String, A, A>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(WindowMerger.class);

  private final long windowMs;
  private final TypeInformation<A> type;
  private transient MapState<Long, A> windows;
  private transient Counter latePartials;
  private transient Counter lossesReattributed;
  private transient RestoredWatermark frontier;

  public WindowMerger(long windowMs, TypeInformation<A> type) {
    this.windowMs = windowMs;
    this.type = type;
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
    windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("windows", Types.LONG, type));
    latePartials = getRuntimeContext().getMetricGroup().counter("latePartials");
    lossesReattributed = getRuntimeContext().getMetricGroup().counter("lossesReattributed");
  }

  @Override
  public void processElement(A partial, Context ctx, Collector<A> out) throws Exception {
    long start = partial.windowStartMs() - Math.floorMod(partial.windowStartMs(), windowMs);
    long maxTs = start + windowMs - 1;
    long watermark = frontier.effective(ctx.timerService().currentWatermark());
    if (maxTs <= watermark) {
      if (partial.eventCount() == 0) {
        // Losses reported by a health stream that lagged behind the events (or was idle): they go
        // to the earliest open window rather than nowhere.
        lossesReattributed.inc();
        start = (watermark + 1) - Math.floorMod(watermark + 1, windowMs);
        maxTs = start + windowMs - 1;
      } else {
        // Upstream operators emit event partials before the watermark that closes them: a bug if seen.
        latePartials.inc();
        log.error("partial of {} events for {} window {} arrived after watermark {}: not merged",
            partial.eventCount(), partial.hostId(), start, watermark);
        return;
      }
    }
    A acc = windows.get(start);
    if (acc == null) {
      partial.rewindow(start, windowMs);
      acc = partial;
      ctx.timerService().registerEventTimeTimer(maxTs);
    } else {
      acc.merge(partial);
    }
    windows.put(start, acc);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<A> out) throws Exception {
    frontier.effective(ctx.timerService().currentWatermark());
    long start = timestamp - windowMs + 1;
    A acc = windows.get(start);
    if (acc != null) {
      windows.remove(start);
      out.collect(acc);
    }
  }
}

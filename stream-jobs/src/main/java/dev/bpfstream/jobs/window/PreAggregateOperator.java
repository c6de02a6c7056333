package dev.bpfstream.jobs.window;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.jobs.source.Observation;
import dev.bpfstream.jobs.source.RestoredWatermark;
import dev.bpfstream.jobs.wire.DeadLetters;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Aggregates observations per (host, window) before the keyBy, chained to the source, so the
 * network carries one partial per host and window instead of every event.
 *
 * <p>A window's partial is emitted when the watermark passes its end, and every open partial is
 * emitted before each checkpoint barrier (the downstream merger merges partials), so this operator
 * holds no state across checkpoints. An event whose window the watermark has already passed is
 * late: it is counted ({@code lateEvents}) and sent with its bytes to the dead-letter side output,
 * as is a record that could not be read ({@code rejectedRecords}). The watermark survives a restore
 * ({@link RestoredWatermark}), so what was late before the restore is late after it.
 */
public final class PreAggregateOperator<O extends Observation, A extends WindowPartial<A>>
    extends AbstractStreamOperator<A> implements OneInputStreamOperator<O, A> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<DeadLetter> DEAD_LETTERS = DeadLetters.TAG;

  /** Job accumulator: records read (including rejected and late ones). */
  public static final String OBSERVATIONS = "observations";

  private static final int MAX_SPARE = 1024;

  private final PartialFolder<O, A> folder;
  private final long windowMs;

  private transient Map<String, List<A>> open;
  private transient java.util.ArrayDeque<A> spare;
  private transient String lastHost;
  private transient List<A> lastWindows;
  private transient long watermark;
  private transient RestoredWatermark frontier;
  private transient Counter late;
  private transient Counter rejected;
  private transient LongCounter observations;

  public PreAggregateOperator(PartialFolder<O, A> folder, long windowMs) {
    this.folder = folder;
    this.windowMs = windowMs;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    frontier = new RestoredWatermark();
    frontier.initialize(context.getOperatorStateStore(), context.isRestored());
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    frontier.snapshot();
  }

  @Override
  public void open() throws Exception {
    super.open();
    open = new HashMap<>();
    spare = new java.util.ArrayDeque<>();
    watermark = frontier.effective(Long.MIN_VALUE);
    late = getMetricGroup().counter("lateEvents");
    rejected = getMetricGroup().counter("rejectedRecords");
    observations = new LongCounter();
    getRuntimeContext().addAccumulator(OBSERVATIONS, observations);
  }

  @Override
  public void processElement(StreamRecord<O> record) {
    O o = record.getValue();
    observations.add(1);
    if (o.rejected()) {
      rejected.inc();
      output.collect(DEAD_LETTERS, new StreamRecord<>(deadLetter(o, o.rejectReason)));
      return;
    }
    long ts = o.timestampMs();
    long start = ts - Math.floorMod(ts, windowMs);
    if (start + windowMs - 1 <= watermark) {
      late.inc();
      output.collect(DEAD_LETTERS, new StreamRecord<>(deadLetter(o, "LATE: event time " + Instant.ofEpochMilli(ts)
          + " is in window [" + Instant.ofEpochMilli(start) + ", " + Instant.ofEpochMilli(start + windowMs)
          + ") already closed by watermark " + Instant.ofEpochMilli(watermark)
          + "; raise --max-out-of-orderness if such delays are normal")));
      return;
    }
    folder.fold(o, partial(o, start));
  }

  private A partial(O o, long start) {
    List<A> windows;
    if (o.hostId.equals(lastHost)) {
      windows = lastWindows;
    } else {
      windows = open.computeIfAbsent(o.hostId, h -> new ArrayList<>(2));
      lastHost = o.hostId;
      lastWindows = windows;
    }
    for (int i = 0; i < windows.size(); i++) {
      A a = windows.get(i);
      if (a.windowStartMs() == start) {
        return a;
      }
    }
    A a = spare.poll();
    if (a == null) {
      a = folder.newPartial(o.hostId, o.hostname, start, windowMs);
    } else {
      a.reopen(o.hostId, o.hostname, start, windowMs);
    }
    windows.add(a);
    return a;
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    watermark = frontier.effective(mark.getTimestamp());
    emit(watermark);
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    emit(Long.MAX_VALUE);
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    emit(Long.MAX_VALUE);
    super.finish();
  }

  /** Emits the partials of windows ending at or before {@code upTo} (all of them for MAX_VALUE). */
  private void emit(long upTo) {
    Iterator<Map.Entry<String, List<A>>> hosts = open.entrySet().iterator();
    while (hosts.hasNext()) {
      List<A> windows = hosts.next().getValue();
      for (Iterator<A> it = windows.iterator(); it.hasNext(); ) {
        A a = it.next();
        long maxTs = a.windowStartMs() + a.windowSizeMs() - 1;
        if (upTo == Long.MAX_VALUE || maxTs <= upTo) {
          // The output is a network edge (a keyBy): the partial is serialized before collect returns.
          output.collect(new StreamRecord<>(a, maxTs));
          it.remove();
          if (spare.size() < MAX_SPARE && a.recycle()) {
            spare.add(a);
          }
        }
      }
      if (windows.isEmpty()) {
        hosts.remove();
      }
    }
    lastHost = null;
    lastWindows = null;
  }

  static DeadLetter deadLetter(Observation o, String reason) {
    return DeadLetters.of(o.topic, o.partition, o.offset, o.key, o.value, reason);
  }
}

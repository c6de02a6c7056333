package dev.bpfstream.jobs.source;

import java.util.List;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The watermark an operator had acted on when it was checkpointed, carried across a restore.
 *
 * <p>Flink starts every operator at watermark {@code Long.MIN_VALUE} after a restore, and its window
 * state no longer holds the windows that fired before the checkpoint. Without this, an event for one
 * of those windows read after the restore (a partition discovered later, a lagging one) would open
 * the window a second time and its summary would be written twice. With it, the restored operator
 * treats such data as late, exactly as the job would have had it never stopped.
 *
 * <p>Union state: after a rescale each subtask takes the lowest watermark of all the old subtasks,
 * which never closes a window that some old subtask still had open.
 */
public final class RestoredWatermark {
  private static final ListStateDescriptor<Long> DESCRIPTOR = new ListStateDescriptor<>("restored-watermark", Types.LONG);

  private transient ListState<Long> state;
  private long restored = Long.MIN_VALUE;
  private long seen = Long.MIN_VALUE;

  public void initialize(OperatorStateStore store, boolean isRestored) throws Exception {
    state = store.getUnionListState(DESCRIPTOR);
    if (isRestored) {
      long lowest = Long.MAX_VALUE;
      boolean any = false;
      for (Long w : state.get()) {
        lowest = Math.min(lowest, w);
        any = true;
      }
      restored = any ? lowest : Long.MIN_VALUE;
    }
  }

  /** The watermark to judge lateness by: the operator's current one, never below the restored one. */
  public long effective(long current) {
    if (current > seen) {
      seen = current;
    }
    return Math.max(current, restored);
  }

  public void snapshot() throws Exception {
    state.update(List.of(Math.max(seen, restored)));
  }
}

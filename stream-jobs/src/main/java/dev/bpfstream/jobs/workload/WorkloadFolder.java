package dev.bpfstream.jobs.workload;

import dev.bpfstream.jobs.window.PartialFolder;

/** Counts each event for its host and for its container (or namespace). */
public final class WorkloadFolder implements PartialFolder<WorkloadObservation, WorkloadAccumulator> {
  private static final long serialVersionUID = 1L;

  @Override
  public WorkloadAccumulator newPartial(String hostId, String hostname, long windowStartMs, long windowSizeMs) {
    return new WorkloadAccumulator(hostId, hostname, windowStartMs, windowSizeMs);
  }

  @Override
  public void fold(WorkloadObservation o, WorkloadAccumulator partial) {
    partial.add(o);
  }

  @Override
  public void addLoss(WorkloadAccumulator partial, long lost) {
    partial.addLoss(lost);
  }
}

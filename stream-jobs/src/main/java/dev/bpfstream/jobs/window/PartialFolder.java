package dev.bpfstream.jobs.window;

import java.io.Serializable;

import dev.bpfstream.jobs.completeness.LossReport;
import dev.bpfstream.jobs.source.Observation;

/** Folds observations into a job's partial aggregates. */
public interface PartialFolder<O extends Observation, A extends WindowPartial<A>> extends Serializable {
  A newPartial(String hostId, String hostname, long windowStartMs, long windowSizeMs);

  void fold(O observation, A partial);

  /** A partial carrying nothing but the upstream losses of one host in one window. */
  default A lossPartial(LossReport loss, long windowSizeMs) {
    A a = newPartial(loss.hostId, loss.hostname, loss.windowStartMs, windowSizeMs);
    addLoss(a, loss.lost);
    return a;
  }

  void addLoss(A partial, long lost);
}

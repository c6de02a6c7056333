package dev.bpfstream.jobs.window;

import dev.bpfstream.jobs.completeness.LossReport;
import dev.bpfstream.jobs.source.Observation;
import org.apache.flink.api.common.functions.MapFunction;

/** Turns a loss report into a partial that carries only the losses, to merge with the host's window. */
public final class LossPartials<O extends Observation, A extends WindowPartial<A>> implements MapFunction<LossReport, A> {
  private static final long serialVersionUID = 1L;

  private final PartialFolder<O, A> folder;
  private final long windowMs;

  public LossPartials(PartialFolder<O, A> folder, long windowMs) {
    this.folder = folder;
    this.windowMs = windowMs;
  }

  @Override
  public A map(LossReport loss) {
    return folder.lossPartial(loss, windowMs);
  }
}

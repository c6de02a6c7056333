package dev.bpfstream.jobs.window;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys partials by host id (or the fleet key). */
public final class PartialKey<A extends WindowPartial<A>> implements KeySelector<A, String> {
  private static final long serialVersionUID = 1L;

  @Override
  public String getKey(A value) {
    return value.hostId();
  }
}

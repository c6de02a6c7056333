package dev.bpfstream.collector.probe;

import java.time.Instant;

/** Wall-clock now in epoch nanoseconds, for interval bounds of drained records. */
public final class EpochNanos {
  private EpochNanos() {
  }

  public static long now() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}

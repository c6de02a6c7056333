package dev.bpfstream.collector.enrich;

import dev.bpfstream.collector.bpf.KernelClock;

/**
 * Converts BPF timestamps (CLOCK_BOOTTIME, which keeps counting in suspend) to epoch nanoseconds
 * with an offset measured here and re-measured every interval, since NTP slews the wall clock.
 */
public final class BootClock {
  private final KernelClock clock;
  private volatile long offsetNs;

  public BootClock() {
    this.clock = new KernelClock();
    remeasure();
  }

  /** Takes the reading with the tightest bracket of several: realtime minus boottime. */
  public synchronized void remeasure() {
    long best = Long.MAX_VALUE;
    long offset = 0;
    for (int i = 0; i < 7; i++) {
      long b1 = clock.bootTimeNs();
      long rt = clock.realTimeNs();
      long b2 = clock.bootTimeNs();
      if (b2 - b1 < best) {
        best = b2 - b1;
        offset = rt - (b1 + (b2 - b1) / 2);
      }
    }
    offsetNs = offset;
  }

  public long toEpochNs(long bootNs) {
    return bootNs + offsetNs;
  }

  public long offsetNs() {
    return offsetNs;
  }

  public long nowBootNs() {
    return clock.bootTimeNs();
  }
}

package dev.bpfstream.collector.bpf;

import jnr.ffi.Pointer;

/** CLOCK_BOOTTIME and CLOCK_REALTIME as the kernel keeps them (BPF timestamps use the boot clock). */
public final class KernelClock {
  private static final int CLOCK_REALTIME = 0;
  private static final int CLOCK_BOOTTIME = 7;

  private final Native n = Native.get();
  private final Pointer ts = n.allocate(16);

  public long bootTimeNs() {
    return read(CLOCK_BOOTTIME);
  }

  public long realTimeNs() {
    return read(CLOCK_REALTIME);
  }

  private long read(int clock) {
    if (n.libc.clock_gettime(clock, ts) != 0) {
      throw n.failure("clock_gettime(" + clock + ")", 0);
    }
    return ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
  }
}

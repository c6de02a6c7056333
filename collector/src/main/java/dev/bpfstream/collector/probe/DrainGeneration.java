package dev.bpfstream.collector.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.bpfstream.collector.bpf.BpfMap;
import dev.bpfstream.collector.bpf.BpfObject;

/**
 * The collector's side of interval.bpf.h: the generation programs stamp into drained map keys.
 * {@link #flip()} starts a new one and waits out programs that read the old one; afterwards every
 * key of an older generation is complete and can be read and deleted without losing samples.
 */
public final class DrainGeneration {
  /** Programs that stamp generations run with preemption off (tracepoints, perf events): microseconds. */
  private static final long SETTLE_NANOS = 2_000_000;

  private final BpfMap map;
  private final byte[] key = new byte[4];
  private final byte[] value = new byte[4];
  private int current;

  public DrainGeneration(BpfObject object) {
    this.map = object.map("generation");
  }

  public int current() {
    return current;
  }

  /** Switches to the next generation; returns the one that ended. */
  public int flip() {
    int ended = current;
    current = ended + 1;
    ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).putInt(0, current);
    map.update(key, value);
    java.util.concurrent.locks.LockSupport.parkNanos(SETTLE_NANOS);
    return ended;
  }
}

package dev.bpfstream.collector.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.collector.bpf.BpfMap;
import dev.bpfstream.collector.bpf.Epoll;
import dev.bpfstream.collector.bpf.PerfEvents;
import dev.bpfstream.collector.bpf.PerfRingMemory;

/**
 * The perf-buffer path for kernels without the BPF ring (before 5.8): one BPF-output perf event
 * and ring per CPU, stored in the probe's perf event array, read in place from Java. Wakeups come
 * by watermark (bytes waiting), not one per record as libbpf's perf_buffer does. A sample that
 * wraps the ring end is copied into a scratch buffer; lost-sample records are counted.
 */
public final class PerfRingSource implements RingSource {
  private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int DATA_HEAD = 1024;
  private static final int DATA_TAIL = 1032;
  private static final int PERF_RECORD_LOST = 2;
  private static final int PERF_RECORD_SAMPLE = 9;

  private final List<CpuRing> rings = new ArrayList<>();
  private final ByteBuffer scratch;
  private long lost;
  private long malformed;

  private static final class CpuRing {
    final int fd;
    final PerfRingMemory memory;
    final ByteBuffer control;
    final ByteBuffer data;
    final long mask;

    CpuRing(int fd, PerfRingMemory memory) {
      this.fd = fd;
      this.memory = memory;
      this.control = memory.control();
      this.data = memory.data();
      this.mask = data.capacity() - 1L;
    }
  }

  /**
   * Opens a perf ring on every CPU and puts it in {@code perfEventArray}.
   *
   * @param pagesPerCpu data pages per CPU, a power of two
   * @param wakeupBytes wake the reader once this many bytes wait in a CPU's ring
   */
  public PerfRingSource(BpfMap perfEventArray, int pagesPerCpu, int wakeupBytes) {
    int cpus = PerfEvents.possibleCpus();
    this.scratch = ByteBuffer.allocateDirect(pagesPerCpu * 4096).order(ByteOrder.LITTLE_ENDIAN);
    byte[] key = new byte[4];
    byte[] value = new byte[4];
    try {
      for (int cpu = 0; cpu < cpus; cpu++) {
        int fd;
        try {
          fd = PerfEvents.openBpfOutput(cpu, wakeupBytes);
        } catch (RuntimeException offline) {
          continue; // a possible but offline CPU has no ring
        }
        CpuRing ring = new CpuRing(fd, PerfRingMemory.map(fd, pagesPerCpu));
        rings.add(ring);
        ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).putInt(0, cpu);
        ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).putInt(0, fd);
        perfEventArray.update(key, value);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public void register(Epoll epoll, long token) {
    for (CpuRing r : rings) {
      epoll.add(r.fd, token);
    }
  }

  @Override
  public long drain(RecordHandler handler) {
    long handed = 0;
    for (CpuRing r : rings) {
      handed += drain(r, handler);
    }
    return handed;
  }

  private long drain(CpuRing r, RecordHandler handler) {
    long head = (long) LONG.getAcquire(r.control, DATA_HEAD);
    long tail = r.control.getLong(DATA_TAIL);
    long handed = 0;
    int capacity = r.data.capacity();
    while (tail < head) {
      int offset = (int) (tail & r.mask);
      int type = readInt(r, offset);
      int size = readShort(r, offset + 6) & 0xffff;
      if (size < 8 || tail + size > head) {
        malformed++;
        tail = head;
        break;
      }
      if (type == PERF_RECORD_SAMPLE) {
        int rawSize = readInt(r, offset + 8);
        int start = offset + 12;
        if (rawSize > size - 12) {
          malformed++;
        } else if ((start & r.mask) + rawSize <= capacity && start < capacity) {
          handler.onRecord(r.data, start, rawSize);
          handed++;
        } else {
          // The sample wraps the end of the ring: copy it into one piece.
          scratch.clear();
          for (int i = 0; i < rawSize; i++) {
            scratch.put(i, r.data.get((int) ((start + i) & r.mask)));
          }
          handler.onRecord(scratch, 0, rawSize);
          handed++;
        }
      } else if (type == PERF_RECORD_LOST) {
        lost += readLong(r, offset + 16);
      }
      tail += size;
    }
    LONG.setRelease(r.control, DATA_TAIL, tail);
    return handed;
  }

  private static int readInt(CpuRing r, int offset) {
    if ((offset & r.mask) + 4 <= r.data.capacity()) {
      return r.data.getInt((int) (offset & r.mask));
    }
    int v = 0;
    for (int i = 3; i >= 0; i--) {
      v = (v << 8) | (r.data.get((int) ((offset + i) & r.mask)) & 0xff);
    }
    return v;
  }

  private static short readShort(CpuRing r, int offset) {
    return (short) (readInt(r, offset) & 0xffff);
  }

  private static long readLong(CpuRing r, int offset) {
    return (readInt(r, offset) & 0xffffffffL) | ((long) readInt(r, offset + 4) << 32);
  }

  @Override
  public long lostSamples() {
    return lost;
  }

  @Override
  public long malformed() {
    return malformed;
  }

  @Override
  public void close() {
    for (CpuRing r : rings) {
      r.memory.close();
      PerfEvents.close(r.fd);
    }
    rings.clear();
  }
}

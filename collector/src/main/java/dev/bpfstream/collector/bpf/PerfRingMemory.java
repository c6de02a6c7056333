package dev.bpfstream.collector.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.kenai.jffi.MemoryIO;
import jnr.ffi.Pointer;

/**
 * One CPU's perf ring mapped into this process: the control page (data_head at 1024, data_tail at
 * 1032) and 2^n data pages. Unlike the BPF ring it is mapped once, so records can wrap the end.
 */
public final class PerfRingMemory implements AutoCloseable {
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;

  private final Native n;
  private final Pointer mapping;
  private final long length;
  private final ByteBuffer control;
  private final ByteBuffer data;
  private boolean closed;

  private PerfRingMemory(Native n, Pointer mapping, long length, int pageSize, int dataSize) {
    this.n = n;
    this.mapping = mapping;
    this.length = length;
    MemoryIO io = MemoryIO.getInstance();
    this.control = io.newDirectByteBuffer(mapping.address(), pageSize).order(ByteOrder.LITTLE_ENDIAN);
    this.data = io.newDirectByteBuffer(mapping.address() + pageSize, dataSize).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Maps {@code dataPages} (a power of two) pages of data for a perf event fd. */
  public static PerfRingMemory map(int perfFd, int dataPages) {
    if (Integer.bitCount(dataPages) != 1) {
      throw new IllegalArgumentException("perf ring pages must be a power of two: " + dataPages);
    }
    Native n = Native.get();
    int page = n.libc.getpagesize();
    long length = (long) page * (dataPages + 1);
    Pointer p = n.libc.mmap(null, length, PROT_READ | PROT_WRITE, MAP_SHARED, perfFd, 0);
    if (RingMemory.failed(p)) {
      throw n.failure("mapping a perf ring of " + dataPages + " pages", 0);
    }
    return new PerfRingMemory(n, p, length, page, page * dataPages);
  }

  /** data_head at 1024 (read with acquire), data_tail at 1032 (written with release). */
  public ByteBuffer control() {
    return control;
  }

  public ByteBuffer data() {
    return data;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      n.libc.munmap(mapping, length);
    }
  }
}

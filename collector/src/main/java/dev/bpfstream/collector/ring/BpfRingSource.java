package dev.bpfstream.collector.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.bpfstream.collector.bpf.BpfMap;
import dev.bpfstream.collector.bpf.Epoll;
import dev.bpfstream.collector.bpf.RingMemory;

/**
 * Consumer side of a BPF ring buffer (BPF_MAP_TYPE_RINGBUF), read in place from Java with no
 * native call per record. Protocol (kernel/bpf/ringbuf.c): each record has an 8-byte header, a
 * u32 length whose top bit says "still being written" and next bit "discarded", then the data,
 * padded to 8 bytes. The producer publishes producer_pos with release semantics; we read it with
 * acquire, read each header with acquire, and publish consumer_pos with release so the space is
 * reused only after we are done with it.
 */
public final class BpfRingSource implements RingSource {
  private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  static final int BUSY = 1 << 31;
  static final int DISCARD = 1 << 30;
  static final int HEADER = 8;
  /** Give space back to the producer at least this often during a long drain. */
  private static final int RELEASE_EVERY = 256;

  private final AutoCloseable memory;
  private final int ringFd;
  private final int size;
  private final ByteBuffer consumerPage;
  private final ByteBuffer producerPage;
  private final ByteBuffer data;
  private final long mask;
  private long consumerPos;
  private long malformed;

  public BpfRingSource(BpfMap ring) {
    this(RingMemory.map(ring), ring.fd());
  }

  private BpfRingSource(RingMemory memory, int ringFd) {
    this(memory.consumerPage(), memory.producerPage(), memory.data(), memory.size(), ringFd, memory);
  }

  /** Over any three buffers laid out as the kernel does (tests feed it hand-made rings). */
  BpfRingSource(ByteBuffer consumerPage, ByteBuffer producerPage, ByteBuffer data, int size, int ringFd, AutoCloseable memory) {
    this.memory = memory;
    this.ringFd = ringFd;
    this.size = size;
    this.consumerPage = consumerPage;
    this.producerPage = producerPage;
    this.data = data;
    this.mask = size - 1L;
    this.consumerPos = (long) LONG.getAcquire(consumerPage, 0);
  }

  @Override
  public void register(Epoll epoll, long token) {
    epoll.add(ringFd, token);
  }

  @Override
  public long drain(RecordHandler handler) {
    long cons = consumerPos;
    long prod = (long) LONG.getAcquire(producerPage, 0);
    long handed = 0;
    int sinceRelease = 0;
    while (cons < prod) {
      int offset = (int) (cons & mask);
      int header = (int) INT.getAcquire(data, offset);
      if ((header & BUSY) != 0) {
        break; // the producer has reserved but not yet committed this one
      }
      int length = header & ~(BUSY | DISCARD);
      long next = cons + ((length + HEADER + 7) & ~7L);
      if (length > size || next > prod) {
        // Cannot happen with a sane kernel; never read past what the producer published.
        malformed++;
        cons = prod;
        break;
      }
      if ((header & DISCARD) == 0) {
        handler.onRecord(data, offset + HEADER, length);
        handed++;
      }
      cons = next;
      if (++sinceRelease == RELEASE_EVERY) {
        LONG.setRelease(consumerPage, 0, cons);
        sinceRelease = 0;
      }
      if (cons == prod) {
        prod = (long) LONG.getAcquire(producerPage, 0);
      }
    }
    if (cons != consumerPos) {
      consumerPos = cons;
      LONG.setRelease(consumerPage, 0, cons);
    }
    return handed;
  }

  @Override
  public long lostSamples() {
    return 0;
  }

  @Override
  public long malformed() {
    return malformed;
  }

  @Override
  public void close() {
    try {
      memory.close();
    } catch (Exception e) {
      throw new IllegalStateException("unmapping ring: " + e.getMessage(), e);
    }
  }
}

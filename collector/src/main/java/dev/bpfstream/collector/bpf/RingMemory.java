package dev.bpfstream.collector.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.kenai.jffi.MemoryIO;
import jnr.ffi.Pointer;

/**
 * A BPF ring buffer map mapped into this process: the consumer page (read-write, holds
 * consumer_pos), the producer page (read-only, producer_pos) and the data pages, which the kernel
 * maps twice in a row so a record that wraps the end is contiguous. Java reads it in place.
 */
public final class RingMemory implements AutoCloseable {
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;

  private final Native n;
  private final Pointer consumerMapping;
  private final Pointer producerMapping;
  private final long producerLength;
  private final int pageSize;
  private final int size;
  private final ByteBuffer consumerPage;
  private final ByteBuffer producerPage;
  private final ByteBuffer data;
  private boolean closed;

  private RingMemory(Native n, Pointer consumer, Pointer producer, long producerLength, int pageSize, int size) {
    this.n = n;
    this.consumerMapping = consumer;
    this.producerMapping = producer;
    this.producerLength = producerLength;
    this.pageSize = pageSize;
    this.size = size;
    MemoryIO io = MemoryIO.getInstance();
    this.consumerPage = io.newDirectByteBuffer(consumer.address(), pageSize).order(ByteOrder.LITTLE_ENDIAN);
    this.producerPage = io.newDirectByteBuffer(producer.address(), pageSize).order(ByteOrder.LITTLE_ENDIAN);
    this.data = io.newDirectByteBuffer(producer.address() + pageSize, 2 * size).order(ByteOrder.LITTLE_ENDIAN);
  }

  public static RingMemory map(BpfMap ring) {
    if (ring.type() != BpfMap.TYPE_RINGBUF) {
      throw new BpfException(ring.name() + " is not a BPF ring buffer (type " + ring.type() + ")", 0);
    }
    Native n = Native.get();
    int page = n.libc.getpagesize();
    int size = ring.maxEntries();
    if (size > (1 << 29)) {
      throw new BpfException(ring.name() + ": ring of " + size + " bytes is above the 512 MiB this reader maps", 0);
    }
    Pointer consumer = n.libc.mmap(null, page, PROT_READ | PROT_WRITE, MAP_SHARED, ring.fd(), 0);
    if (failed(consumer)) {
      throw n.failure("mapping the consumer page of " + ring.name(), 0);
    }
    long producerLength = page + 2L * size;
    Pointer producer = n.libc.mmap(null, producerLength, PROT_READ, MAP_SHARED, ring.fd(), page);
    if (failed(producer)) {
      BpfException e = n.failure("mapping the data pages of " + ring.name(), 0);
      n.libc.munmap(consumer, page);
      throw e;
    }
    return new RingMemory(n, consumer, producer, producerLength, page, size);
  }

  static boolean failed(Pointer p) {
    return p == null || p.address() == -1L || p.address() == 0;
  }

  /** Holds consumer_pos at offset 0; the reader writes it with release semantics. */
  public ByteBuffer consumerPage() {
    return consumerPage;
  }

  /** Holds producer_pos at offset 0; read with acquire semantics. */
  public ByteBuffer producerPage() {
    return producerPage;
  }

  /** 2 × size bytes: the data area and its second mapping. */
  public ByteBuffer data() {
    return data;
  }

  public int size() {
    return size;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    n.libc.munmap(producerMapping, producerLength);
    n.libc.munmap(consumerMapping, pageSize);
  }
}

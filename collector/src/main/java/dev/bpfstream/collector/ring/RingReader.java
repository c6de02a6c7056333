package dev.bpfstream.collector.ring;

import dev.bpfstream.collector.bpf.Epoll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per ring: waits on epoll with a short timeout and drains everything after every
 * return, timeout or not. BPF programs wake the reader only when enough data waits (adaptive
 * wakeups), so the timeout bounds how long a trickle of records can sit in the ring.
 */
public final class RingReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RingReader.class);

  private final String name;
  private final RingSource source;
  private final RecordHandler handler;
  private final int pollTimeoutMs;
  private final Epoll epoll;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long delivered;
  private volatile long wakeups;
  private volatile Throwable failure;

  public RingReader(String name, RingSource source, RecordHandler handler, int pollTimeoutMs) {
    this.name = name;
    this.source = source;
    this.handler = handler;
    this.pollTimeoutMs = pollTimeoutMs;
    this.epoll = new Epoll(64);
    source.register(epoll, 1);
    this.thread = new Thread(this::run, "ring-" + name);
    this.thread.setDaemon(true);
  }

  public RingReader start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      while (running) {
        epoll.await(pollTimeoutMs);
        wakeups++;
        drainOnce();
      }
      drainOnce(); // what arrived while stopping
    } catch (Throwable t) {
      failure = t;
      log.error("ring reader {} stopped: {}", name, t.toString());
    }
  }

  private void drainOnce() {
    long n = source.drain(handler);
    if (n > 0) {
      delivered += n; // single writer: this thread
    }
  }

  /** Records handed to the handler so far. */
  public long delivered() {
    return delivered;
  }

  public long wakeups() {
    return wakeups;
  }

  /** CPU time the reader thread has used, in ns (-1 when the JVM cannot tell). */
  public long cpuTimeNs() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    return mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(thread.getId()) : -1;
  }

  public RingSource source() {
    return source;
  }

  /** Non-null when the reader thread died; the collector reports it. */
  public Throwable failure() {
    return failure;
  }

  /** Stops the thread after a last drain, then unmaps the ring. */
  @Override
  public void close() {
    running = false;
    epoll.wake();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      // Unmapping the ring under a running reader would crash the JVM: leave it mapped.
      log.error("ring reader {} did not stop within 10 s; its ring stays mapped", name);
      return;
    }
    epoll.close();
    source.close();
  }
}

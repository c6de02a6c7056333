package dev.bpfstream.collector.bpf;

import jnr.ffi.Pointer;

/**
 * epoll over ring fds, with an eventfd so another thread can wake a waiting reader (shutdown).
 * Tokens identify which registered fd is ready.
 */
public final class Epoll implements AutoCloseable {
  private static final int EPOLL_CLOEXEC = 0x80000;
  private static final int EPOLL_CTL_ADD = 1;
  private static final int EPOLLIN = 1;
  private static final int EFD_CLOEXEC = 0x80000;
  private static final int EFD_NONBLOCK = 0x800;
  private static final int EVENT_BYTES = 12; // packed struct epoll_event on x86-64
  public static final long WAKE_TOKEN = -1L;

  private final Native n;
  private final int epfd;
  private final int wakeFd;
  private final Pointer events;
  private final Pointer one;
  private final int capacity;
  private volatile boolean closed;

  public Epoll(int capacity) {
    this.n = Native.get();
    this.capacity = capacity;
    this.epfd = n.libc.epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
      throw n.failure("epoll_create1", 0);
    }
    this.wakeFd = n.libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wakeFd < 0) {
      throw n.failure("eventfd", 0);
    }
    this.events = n.allocate(EVENT_BYTES * capacity);
    this.one = n.allocate(8);
    add(wakeFd, WAKE_TOKEN);
  }

  public void add(int fd, long token) {
    Pointer ev = n.allocate(EVENT_BYTES);
    ev.putInt(0, EPOLLIN);
    ev.putLong(4, token);
    if (n.libc.epoll_ctl(epfd, EPOLL_CTL_ADD, fd, ev) != 0) {
      throw n.failure("epoll_ctl add fd " + fd, 0);
    }
  }

  /** Waits up to {@code timeoutMs}; returns how many fds are ready (0 on timeout or EINTR). */
  public int await(int timeoutMs) {
    int r = n.libc.epoll_wait(epfd, events, capacity, timeoutMs);
    if (r < 0) {
      int errno = n.errno();
      if (errno == 4) { // EINTR
        return 0;
      }
      throw n.failure("epoll_wait", 0);
    }
    return r;
  }

  public long token(int i) {
    return events.getLong((long) i * EVENT_BYTES + 4);
  }

  /** Wakes a thread blocked in {@link #await}. */
  public void wake() {
    one.putLong(0, 1);
    n.libc.write(wakeFd, one, 8);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    n.libc.close(wakeFd);
    n.libc.close(epfd);
  }
}

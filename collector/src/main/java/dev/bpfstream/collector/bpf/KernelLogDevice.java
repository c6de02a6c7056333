package dev.bpfstream.collector.bpf;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import jnr.ffi.Pointer;

/**
 * The kernel log as /dev/kmsg gives it: one record per read(2), non-blocking, starting after the
 * records already there when opened. Needs jnr because the JDK cannot open a file O_NONBLOCK.
 * One thread at a time.
 */
public final class KernelLogDevice implements AutoCloseable {
  private static final int O_RDONLY = 0;
  private static final int O_NONBLOCK = 0x800;
  private static final int O_CLOEXEC = 0x80000;
  private static final int SEEK_END = 2;
  private static final int EAGAIN = 11;
  private static final int EPIPE = 32;
  private static final int RECORD_MAX = 8192;

  private final Native n;
  private final Pointer buf;
  private int fd;

  private KernelLogDevice(Native n, int fd) {
    this.n = n;
    this.fd = fd;
    this.buf = n.allocate(RECORD_MAX);
  }

  /** Opens /dev/kmsg positioned at its end; the error names the cause (no CAP_SYSLOG, dmesg_restrict). */
  public static KernelLogDevice open() {
    Native n = Native.get();
    int fd = n.libc.open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      throw n.failure("opening /dev/kmsg", 0);
    }
    if (n.libc.lseek(fd, 0, SEEK_END) < 0) {
      BpfException e = n.failure("seeking /dev/kmsg", 0);
      n.libc.close(fd);
      throw e;
    }
    return new KernelLogDevice(n, fd);
  }

  /** Hands every record logged since the last call ("prio,seq,usec,flags;message...") to {@code into}; returns how many. */
  public int drain(Consumer<String> into) {
    int count = 0;
    while (fd >= 0) {
      long r = n.libc.read(fd, buf, RECORD_MAX);
      if (r > 0) {
        byte[] bytes = new byte[(int) r];
        buf.get(0, bytes, 0, bytes.length);
        into.accept(new String(bytes, StandardCharsets.UTF_8));
        count++;
        continue;
      }
      int errno = r == 0 ? EAGAIN : n.errno();
      if (errno == EPIPE) {
        continue; // records were overwritten before we read them (the sequence numbers jump); go on
      }
      if (errno != EAGAIN) {
        throw n.failure("reading /dev/kmsg", 0);
      }
      return count;
    }
    return count;
  }

  @Override
  public void close() {
    if (fd >= 0) {
      n.libc.close(fd);
      fd = -1;
    }
  }
}

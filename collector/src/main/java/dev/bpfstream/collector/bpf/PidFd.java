package dev.bpfstream.collector.bpf;

/**
 * A process held by a pidfd (Linux 5.3+): whatever is checked about the process after
 * {@link #open} is about the process a signal then reaches, even if it exits and its pid is reused
 * in between (the signal then fails with ESRCH instead of reaching the newcomer).
 */
public final class PidFd implements AutoCloseable {
  public static final int SIGQUIT = 3;
  private static final long SYS_PIDFD_SEND_SIGNAL = 424; // x86-64 (and every architecture since 5.1)
  private static final long SYS_PIDFD_OPEN = 434;

  private final int pid;
  private int fd;

  private PidFd(int pid, int fd) {
    this.pid = pid;
    this.fd = fd;
  }

  /** Holds process {@code pid}; a BpfException when it is gone (ESRCH) or the kernel has no pidfds (ENOSYS). */
  public static PidFd open(int pid) {
    Native n = Native.get();
    long fd = n.libc.syscall(SYS_PIDFD_OPEN, pid, 0, 0, 0);
    if (fd < 0) {
      throw n.failure("pidfd_open(" + pid + ")", 0);
    }
    return new PidFd(pid, (int) fd);
  }

  /** Sends {@code signal} to the held process; a BpfException when it has exited. */
  public void signal(int signal) {
    Native n = Native.get();
    if (n.libc.syscall(SYS_PIDFD_SEND_SIGNAL, fd, signal, 0, 0) < 0) {
      throw n.failure("pidfd_send_signal(" + pid + ", " + signal + ")", 0);
    }
  }

  @Override
  public void close() {
    if (fd >= 0) {
      Native.get().libc.close(fd);
      fd = -1;
    }
  }
}

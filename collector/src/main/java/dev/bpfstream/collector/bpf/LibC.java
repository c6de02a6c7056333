package dev.bpfstream.collector.bpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;

/**
 * The libc calls the collector needs beyond the JDK. Public only because jnr-ffi generates the
 * implementation in its own class loader (see {@link LibBpf}); callers use the typed wrappers.
 */
public interface LibC {
  @SaveError
  Pointer mmap(Pointer addr, @size_t long length, int prot, int flags, int fd, @off_t long offset);

  @SaveError
  int munmap(Pointer addr, @size_t long length);

  @SaveError
  int epoll_create1(int flags);

  @SaveError
  int epoll_ctl(int epfd, int op, int fd, Pointer event);

  @SaveError
  int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMs);

  @SaveError
  int eventfd(int initval, int flags);

  @SaveError
  long write(int fd, Pointer buf, @size_t long count);

  @SaveError
  int open(String path, int flags);

  @SaveError
  int close(int fd);

  @SaveError
  int open_by_handle_at(int mountFd, Pointer handle, int flags);

  @SaveError
  int ioctl(int fd, long request);

  @SaveError
  int ioctl(int fd, long request, long arg);

  @SaveError
  int setns(int fd, int nstype);

  @SaveError
  int unshare(int flags);

  @SaveError
  int uname(Pointer buf);

  @SaveError
  int mount(String source, String target, String fstype, long flags, Pointer data);

  @SaveError
  int clock_gettime(int clockId, Pointer timespec);

  @SaveError
  long syscall(long number, Pointer attr, int pid, int cpu, int groupFd, long flags);

  /** pidfd_open, pidfd_send_signal */
  @SaveError
  long syscall(long number, long a1, long a2, long a3, long a4);

  int vsnprintf(Pointer buf, @size_t long size, Pointer format, Pointer vaList);

  String strerror(int errnum);

  int getpagesize();

  int getpid();

  int gettid();

  // /dev/kmsg (KernelLogDevice)
  @SaveError
  long read(int fd, Pointer buf, @size_t long count);

  @SaveError
  long lseek(int fd, @off_t long offset, int whence);
}

package dev.bpfstream.collector.bpf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jnr.ffi.Pointer;

/**
 * An open namespace file (/proc/PID/ns/KIND): its relations by ioctl, and entering it with setns
 * (which changes only the calling thread for UTS, IPC, NET and similar kinds).
 */
public final class NamespaceFile implements AutoCloseable {
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final long NS_GET_USERNS = 0xb701;
  private static final long NS_GET_PARENT = 0xb702;
  public static final int CLONE_NEWUTS = 0x04000000;

  private final Native n;
  private final int fd;
  private boolean closed;

  private NamespaceFile(Native n, int fd) {
    this.n = n;
    this.fd = fd;
  }

  /** Null when the file cannot be opened (the process is gone, or no permission). */
  public static NamespaceFile open(Path path) {
    Native n = Native.get();
    int fd = n.libc.open(path.toString(), O_RDONLY | O_CLOEXEC);
    return fd < 0 ? null : new NamespaceFile(n, fd);
  }

  /** Inode of this namespace (what /proc/PID/ns/KIND links to), or -1 when it cannot be read. */
  public long inode() {
    return inodeOfFd(fd);
  }

  /** Inode of the owning user namespace, or -1 when the kernel does not tell (e.g. outside our view). */
  public long ownerUserNamespace() {
    return related(NS_GET_USERNS);
  }

  /** Inode of the parent (pid and user namespaces only), or -1 at the top or for other kinds. */
  public long parent() {
    return related(NS_GET_PARENT);
  }

  private long related(long request) {
    int other = n.libc.ioctl(fd, request);
    if (other < 0) {
      return -1;
    }
    try {
      return inodeOfFd(other);
    } finally {
      n.libc.close(other);
    }
  }

  /** setns(2) the calling thread into this namespace. */
  public void enter(int nstype) {
    if (n.libc.setns(fd, nstype) != 0) {
      throw n.failure("setns", 0);
    }
  }

  /** uname(2) of the calling thread: {nodename, domainname}. */
  public static String[] utsNames() {
    Native n = Native.get();
    Pointer buf = n.allocate(6 * 65);
    if (n.libc.uname(buf) != 0) {
      throw n.failure("uname", 0);
    }
    return new String[] {cString(buf, 65), cString(buf, 5 * 65)};
  }

  private static String cString(Pointer buf, int offset) {
    byte[] b = new byte[65];
    buf.get(offset, b, 0, 65);
    int len = 0;
    while (len < b.length && b[len] != 0) {
      len++;
    }
    return new String(b, 0, len, StandardCharsets.UTF_8);
  }

  private static long inodeOfFd(int fd) {
    try {
      String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString(); // "user:[4026531837]"
      int open = link.indexOf('[');
      return Long.parseLong(link.substring(open + 1, link.length() - 1));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      n.libc.close(fd);
    }
  }
}

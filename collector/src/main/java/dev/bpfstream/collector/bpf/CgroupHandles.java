package dev.bpfstream.collector.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jnr.ffi.Pointer;

/**
 * Finds a cgroup v2 directory by its id (what bpf_get_current_cgroup_id returns) with
 * open_by_handle_at(2): kernfs accepts the id itself as a file handle, so no walk of the tree is
 * needed. Needs CAP_DAC_READ_SEARCH.
 */
public final class CgroupHandles implements AutoCloseable {
  private static final int O_RDONLY = 0;
  private static final int O_DIRECTORY = 0x10000;
  private static final int O_CLOEXEC = 0x80000;
  private static final int O_PATH = 0x200000;
  private static final int FILEID_KERNFS = 0xfe;
  private static final int ENOENT = 2;
  private static final int ESTALE = 116;

  private final Native n;
  private final int mountFd;
  private final String mountPath;
  private boolean closed;

  private CgroupHandles(Native n, int mountFd, String mountPath) {
    this.n = n;
    this.mountFd = mountFd;
    this.mountPath = mountPath;
  }

  /** Opens the cgroup2 mount; throws with the reason when it cannot. */
  public static CgroupHandles open(Path mount) {
    Native n = Native.get();
    int fd = n.libc.open(mount.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      throw n.failure("open " + mount, 0);
    }
    try {
      return new CgroupHandles(n, fd, fdPath(fd));
    } catch (IOException e) {
      n.libc.close(fd);
      throw new BpfException("cannot read the path of " + mount + ": " + e.getMessage(), 0);
    }
  }

  /**
   * The cgroup path (relative to the mount, "/" for the root), or null when no cgroup has this id.
   * Throws {@link BpfException} when handles cannot be used here (EPERM without CAP_DAC_READ_SEARCH,
   * or a filesystem without kernfs handles).
   */
  public synchronized String path(long cgroupId) {
    if (closed) {
      throw new IllegalStateException("cgroup handles closed");
    }
    Pointer handle = n.allocate(16); // struct file_handle { u32 handle_bytes; int handle_type; u64 id; }
    handle.putInt(0, 8);
    handle.putInt(4, FILEID_KERNFS);
    handle.putLong(8, cgroupId);
    int fd = n.libc.open_by_handle_at(mountFd, handle, O_PATH | O_CLOEXEC);
    if (fd < 0) {
      int errno = n.errno();
      if (errno == ESTALE || errno == ENOENT) {
        return null;
      }
      throw n.failure("open_by_handle_at(cgroup id " + cgroupId + ")", 0);
    }
    try {
      String p = fdPath(fd);
      if (p.endsWith(" (deleted)")) {
        return null; // removed while we looked
      }
      if (p.equals(mountPath)) {
        return "/";
      }
      return p.startsWith(mountPath + "/") ? p.substring(mountPath.length()) : null;
    } catch (IOException e) {
      return null;
    } finally {
      n.libc.close(fd);
    }
  }

  private static String fdPath(int fd) throws IOException {
    return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      n.libc.close(mountFd);
    }
  }
}

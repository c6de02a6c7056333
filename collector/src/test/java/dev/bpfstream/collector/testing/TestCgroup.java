package dev.bpfstream.collector.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.bpfstream.collector.enrich.CgroupMount;

/** A real cgroup v2 directory tree for a test ({@code <mount>/bpfstream-test-<rand>}), removed on close. */
public final class TestCgroup implements AutoCloseable {
  private final Path mount;
  private final Path root;
  private final List<Path> made = new ArrayList<>();

  public TestCgroup() throws IOException {
    mount = CgroupMount.unified();
    root = mount.resolve("bpfstream-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
    Files.createDirectory(root);
    made.add(root);
  }

  public Path root() {
    return root;
  }

  /** Creates {@code name} below the test root; returns its directory. */
  public Path create(String name) throws IOException {
    Path dir = Files.createDirectory(root.resolve(name));
    made.add(dir);
    return dir;
  }

  /** The cgroup path as /proc/PID/cgroup and the kernel name it: relative to the mount, leading '/'. */
  public String cgroupPath(Path dir) {
    return "/" + mount.relativize(dir);
  }

  public static long inode(Path dir) throws IOException {
    return (Long) Files.getAttribute(dir, "unix:ino");
  }

  /** Moves a process into the cgroup. */
  public static void enter(Path dir, long pid) throws IOException {
    Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
  }

  public void remove(Path dir) throws IOException, InterruptedException {
    // A cgroup can be removed only once its last task is gone, which can lag the reap a little.
    for (int attempt = 0; ; attempt++) {
      try {
        Files.deleteIfExists(dir);
        made.remove(dir);
        return;
      } catch (IOException e) {
        if (attempt == 100) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    for (int i = made.size() - 1; i >= 0; i--) {
      remove(made.get(i));
    }
  }
}

package dev.bpfstream.collector.enrich;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * st_mode of the directory holding an executed file, seen through the process's root
 * (/proc/PID/root) so files in other mount namespaces resolve; cached per mount namespace and
 * directory, so the exec hot path makes no syscall for a directory seen before. (A chroot inside a
 * mount namespace shares the namespace's entry: the first exec's view wins until evicted.)
 * 0 when unknown (the process is already gone, or the path is relative).
 */
public final class DirectoryModes {
  private final Map<String, Integer> cache;

  public DirectoryModes(int capacity) {
    this.cache = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
        return size() > capacity;
      }
    };
  }

  public int modeOfParent(int pid, long mntNs, String file) {
    int slash = file.lastIndexOf('/');
    if (!file.startsWith("/") || slash < 0) {
      return 0;
    }
    String dir = slash == 0 ? "/" : file.substring(0, slash);
    String key = mntNs + "|" + dir;
    Integer mode = cache.get(key);
    if (mode == null) {
      mode = stat(pid, dir);
      if (mode != 0) {
        cache.put(key, mode);
      }
    }
    return mode;
  }

  private static int stat(int pid, String dir) {
    try {
      // Follow links: /bin -> usr/bin is a symlink whose own mode (0777) says nothing about the directory.
      return (Integer) Files.getAttribute(Path.of("/proc/" + pid + "/root", dir), "unix:mode");
    } catch (IOException | RuntimeException e) {
      return 0; // the process is gone: its root, and so the directory, is unknown
    }
  }
}

package dev.bpfstream.collector.enrich;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where this host mounts the cgroup v2 hierarchy: /sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts. */
public final class CgroupMount {
  private CgroupMount() {
  }

  /** The cgroup2 mount point from /proc/self/mountinfo; one-line error naming the fix when there is none. */
  public static Path unified() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        // "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw"
        int dash = line.indexOf(" - ");
        if (dash > 0 && line.startsWith("cgroup2 ", dash + 3)) {
          String[] f = line.substring(0, dash).split(" ");
          return Path.of(unescape(f[4]));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/mountinfo: " + e.getMessage());
    }
    throw new IllegalStateException(
        "no cgroup2 filesystem mounted: mount it (mount -t cgroup2 none /sys/fs/cgroup) to resolve cgroup ids");
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}

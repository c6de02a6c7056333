package dev.bpfstream.collector.enrich;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's cgroup as /proc/PID/cgroup tells it, and the container that cgroup belongs to.
 *
 * @param path the cgroup v2 path ({@code 0::} line), or on a v1/hybrid host where that is the root,
 *     the first hierarchy path that names a container (else the name=systemd or first non-root one)
 * @param containerId null outside containers
 */
public record ProcessCgroup(String path, String containerId) {

  /** Null when the process is gone or its cgroup file cannot be read. */
  public static ProcessCgroup of(int pid) {
    try {
      return parse(Files.readString(Path.of("/proc", Integer.toString(pid), "cgroup")));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Parses the content of /proc/PID/cgroup ("hierarchy-id:controllers:path" lines). */
  public static ProcessCgroup parse(String content) {
    String unified = null;
    String systemd = null;
    String firstOther = null;
    for (String line : content.split("\n")) {
      int a = line.indexOf(':');
      int b = a < 0 ? -1 : line.indexOf(':', a + 1);
      if (b < 0) {
        continue;
      }
      String path = line.substring(b + 1);
      if (line.startsWith("0::")) {
        unified = path;
      } else if (line.substring(a + 1, b).equals("name=systemd")) {
        systemd = path;
      } else if (firstOther == null && !path.equals("/")) {
        firstOther = path;
      }
    }
    // Prefer the unified hierarchy, then the systemd one: where the runtime names the container.
    for (String path : new String[] {unified, systemd, firstOther}) {
      String id = ContainerIds.fromCgroupPath(path);
      if (id != null) {
        return new ProcessCgroup(path, id);
      }
    }
    if (unified != null && !unified.equals("/")) {
      return new ProcessCgroup(unified, null);
    }
    if (systemd != null && !systemd.equals("/")) {
      return new ProcessCgroup(systemd, null);
    }
    if (firstOther != null) {
      return new ProcessCgroup(firstOther, null);
    }
    return new ProcessCgroup(unified != null ? unified : "/", null);
  }
}

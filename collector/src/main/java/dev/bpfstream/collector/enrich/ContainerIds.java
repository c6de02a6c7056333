package dev.bpfstream.collector.enrich;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container id in a cgroup path, for the shapes container runtimes create:
 * <ul>
 * <li>docker: {@code /docker/<id>} (cgroupfs), {@code /system.slice/docker-<id>.scope} (systemd);</li>
 * <li>containerd: {@code /kubepods/burstable/pod<uid>/<id>}, {@code ...-pod<uid>.slice/cri-containerd-<id>.scope},
 * nerdctl {@code /default/<id>} or {@code /system.slice/nerdctl-<id>.scope};</li>
 * <li>cri-o: {@code crio-<id>.scope} (systemd) or {@code crio-<id>} (cgroupfs);</li>
 * <li>podman: {@code /machine.slice/libpod-<id>.scope}, rootless under {@code user@UID.service},
 * {@code /libpod_parent/libpod-<id>} (cgroupfs).</li>
 * </ul>
 * The deepest matching component wins (a container inside a container is the inner one; a
 * sub-cgroup such as {@code .../libpod-<id>.scope/container} belongs to its scope). Conmon's own
 * scopes ({@code crio-conmon-<id>.scope}, {@code libpod-conmon-<id>.scope}) hold the monitor, not
 * the container: they give null, like plain systemd services and sessions.
 */
public final class ContainerIds {
  private static final Pattern CONTAINER =
      Pattern.compile("(?:(?:docker|cri-containerd|crio|libpod|nerdctl)-)?([0-9a-f]{64})(?:\\.scope)?");
  private static final Pattern CONMON = Pattern.compile("(?:crio|libpod)-conmon-[0-9a-f]{64}(?:\\.scope)?");

  private ContainerIds() {
  }

  /** The 64-hex container id, or null when the path is not inside a container's cgroup. */
  public static String fromCgroupPath(String path) {
    if (path == null || path.length() < 64) {
      return null;
    }
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      String part = parts[i];
      if (part.length() < 64) {
        continue;
      }
      if (CONMON.matcher(part).matches()) {
        return null;
      }
      Matcher m = CONTAINER.matcher(part);
      if (m.matches()) {
        return m.group(1);
      }
    }
    return null;
  }
}

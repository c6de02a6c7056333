package dev.bpfstream.console;

/**
 * Which part of the fleet a view shows: a host (id), a container (id), a pid namespace (inode),
 * or any combination; null parts match everything.
 */
record ViewScope(String host, String container, Long pidNs) {
  static final ViewScope ALL = new ViewScope(null, null, null);

  boolean isAll() {
    return host == null && container == null && pidNs == null;
  }

  boolean matches(String hostId, String containerId, long pidNamespace) {
    return (host == null || host.equals(hostId))
        && (container == null || container.equals(containerId))
        && (pidNs == null || pidNs == pidNamespace);
  }

  boolean matchesHost(String hostId) {
    return host == null || host.equals(hostId);
  }

  String describe() {
    if (isAll()) {
      return "fleet";
    }
    StringBuilder b = new StringBuilder();
    if (host != null) {
      b.append("host ").append(host);
    }
    if (container != null) {
      b.append(b.length() > 0 ? ", " : "").append("container ").append(container);
    }
    if (pidNs != null) {
      b.append(b.length() > 0 ? ", " : "").append("pid namespace ").append(pidNs);
    }
    return b.toString();
  }
}

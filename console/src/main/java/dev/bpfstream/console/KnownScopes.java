package dev.bpfstream.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hosts, containers and pid namespaces the console has seen in any topic, for the filter
 * menus and to tell an unknown scope (a typo in a shared link) from one without data in a range.
 * Bounded: past the limits new names are not remembered (counted).
 */
final class KnownScopes {
  static final int MAX_EACH = 50_000;

  private final Map<String, String> hosts = new TreeMap<>();
  private final Map<String, String> containers = new TreeMap<>();
  private final Map<Long, String> pidNamespaces = new TreeMap<>();
  private long notRemembered;

  synchronized void host(String id, String name) {
    if (id != null && (hosts.containsKey(id) || hosts.size() < MAX_EACH)) {
      hosts.put(id, name == null ? id : name);
    } else if (id != null) {
      notRemembered++;
    }
  }

  synchronized void container(String id, String hostId) {
    if (id != null && (containers.containsKey(id) || containers.size() < MAX_EACH)) {
      containers.put(id, hostId);
    } else if (id != null) {
      notRemembered++;
    }
  }

  synchronized void pidNamespace(long inode, String hostId) {
    if (inode == 0) {
      return;
    }
    if (pidNamespaces.containsKey(inode) || pidNamespaces.size() < MAX_EACH) {
      pidNamespaces.put(inode, hostId);
    } else {
      notRemembered++;
    }
  }

  /** Refuses a scope that names a host, container or pid namespace never seen: 404 with what is known. */
  synchronized void check(ViewScope s) {
    if (s.host() != null && !hosts.containsKey(s.host())) {
      throw new BadRequest(404, "unknown host " + Json.quoteForMessage(s.host()) + ": known hosts are " + sample(hosts.keySet()));
    }
    if (s.container() != null && !containers.containsKey(s.container())) {
      throw new BadRequest(404, "unknown container " + Json.quoteForMessage(s.container()) + ": known containers are " + sample(containers.keySet()));
    }
    if (s.pidNs() != null && !pidNamespaces.containsKey(s.pidNs())) {
      throw new BadRequest(404, "unknown pid namespace " + s.pidNs() + ": known ones are " + sample(pidNamespaces.keySet()));
    }
  }

  private static String sample(java.util.Collection<?> keys) {
    if (keys.isEmpty()) {
      return "none yet";
    }
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (Object k : keys) {
      if (n == 10) {
        b.append(", ... (").append(keys.size()).append(" in all)");
        break;
      }
      b.append(n++ == 0 ? "" : ", ").append(k);
    }
    return b.toString();
  }

  synchronized Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hosts", new LinkedHashMap<>(hosts));
    m.put("containers", new LinkedHashMap<>(containers));
    Map<String, String> ns = new LinkedHashMap<>();
    pidNamespaces.forEach((k, v) -> ns.put(Long.toString(k), v));
    m.put("pidNamespaces", ns);
    m.put("notRemembered", notRemembered);
    return m;
  }
}

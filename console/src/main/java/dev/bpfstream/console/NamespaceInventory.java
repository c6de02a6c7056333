package dev.bpfstream.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.NamespaceMetadata;

/** The current namespace inventory from the compacted {@code ns.metadata}: the newest record per host, kind and inode; removed ones leave. */
final class NamespaceInventory {
  static final int MAX_NAMESPACES = 500_000;

  private final Map<String, NamespaceMetadata> current = new LinkedHashMap<>();
  private long refused;

  synchronized void add(NamespaceMetadata m) {
    String key = m.getHostId() + "/" + m.getKind() + "/" + m.getInode();
    if (m.getRemoved()) {
      current.remove(key);
      return;
    }
    if (!current.containsKey(key) && current.size() >= MAX_NAMESPACES) {
      refused++;
      return;
    }
    current.put(key, m);
  }

  synchronized List<NamespaceMetadata> ofHost(String hostId) {
    List<NamespaceMetadata> out = new ArrayList<>();
    for (NamespaceMetadata m : current.values()) {
      if (hostId == null || hostId.equals(m.getHostId())) {
        out.add(m);
      }
    }
    return out;
  }

  synchronized int size() {
    return current.size();
  }

  synchronized long refused() {
    return refused;
  }
}

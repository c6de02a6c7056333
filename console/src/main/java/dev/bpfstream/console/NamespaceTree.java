package dev.bpfstream.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.NamespaceMetadata;

/**
 * One host's namespace inventory as a tree: user namespaces nested by parent, each with the
 * namespaces it owns (UTS names, containers, members); namespaces whose owner is not in the
 * inventory are listed apart.
 */
final class NamespaceTree {
  private NamespaceTree() {
  }

  static Map<String, Object> of(String hostId, List<NamespaceMetadata> all) {
    Map<Long, NamespaceMetadata> users = new HashMap<>();
    for (NamespaceMetadata n : all) {
      if (n.getKind() == NamespaceKind.USER) {
        users.put(n.getInode(), n);
      }
    }
    Map<Long, List<NamespaceMetadata>> childUsers = new HashMap<>();
    Map<Long, List<NamespaceMetadata>> owned = new HashMap<>();
    List<NamespaceMetadata> rootUsers = new ArrayList<>();
    List<NamespaceMetadata> unowned = new ArrayList<>();
    for (NamespaceMetadata n : all) {
      if (n.getKind() == NamespaceKind.USER) {
        if (n.getParent() != null && users.containsKey(n.getParent()) && !n.getParent().equals(n.getInode())) {
          childUsers.computeIfAbsent(n.getParent(), k -> new ArrayList<>()).add(n);
        } else {
          rootUsers.add(n);
        }
      } else if (n.getOwnerUserNs() != null && users.containsKey(n.getOwnerUserNs())) {
        owned.computeIfAbsent(n.getOwnerUserNs(), k -> new ArrayList<>()).add(n);
      } else {
        unowned.add(n);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hostId", hostId);
    m.put("hostname", all.isEmpty() ? hostId : all.get(0).getHostname());
    List<Map<String, Object>> roots = new ArrayList<>();
    rootUsers.sort(Comparator.comparingLong(NamespaceMetadata::getInode));
    for (NamespaceMetadata u : rootUsers) {
      roots.add(user(u, childUsers, owned, 0));
    }
    m.put("userNamespaces", roots);
    m.put("unowned", sorted(unowned));
    return m;
  }

  private static Map<String, Object> user(NamespaceMetadata u, Map<Long, List<NamespaceMetadata>> childUsers,
                                          Map<Long, List<NamespaceMetadata>> owned, int depth) {
    Map<String, Object> m = ConsoleApi.namespace(u);
    m.put("owns", sorted(owned.getOrDefault(u.getInode(), List.of())));
    List<Map<String, Object>> kids = new ArrayList<>();
    if (depth < 32) { // user namespaces nest at most 32 deep in Linux
      for (NamespaceMetadata c : childUsers.getOrDefault(u.getInode(), List.of())) {
        kids.add(user(c, childUsers, owned, depth + 1));
      }
    }
    m.put("children", kids);
    return m;
  }

  private static List<Map<String, Object>> sorted(List<NamespaceMetadata> list) {
    List<NamespaceMetadata> s = new ArrayList<>(list);
    s.sort(Comparator.comparing((NamespaceMetadata n) -> n.getContainerId() == null ? "" : n.getContainerId())
        .thenComparing(n -> n.getKind().ordinal()).thenComparingLong(NamespaceMetadata::getInode));
    return s.stream().map(ConsoleApi::namespace).toList();
  }
}

package dev.bpfstream.collector.namespace;

import dev.bpfstream.event.NamespaceChange;

/** Told by the namespace lifecycle probe of what it sees, so the inventory is current at once. */
public interface NamespaceObserver {
  /** A clone/unshare/setns that made or entered namespaces. */
  void onLifecycle(NamespaceChange change);

  /** A UTS namespace got a new hostname or domain name (read kernel-side, so short-lived ones count). */
  void onUtsNames(long utsInode, String nodename, String domainname);

  NamespaceObserver NONE = new NamespaceObserver() {
    @Override
    public void onLifecycle(NamespaceChange change) {
    }

    @Override
    public void onUtsNames(long utsInode, String nodename, String domainname) {
    }
  };
}

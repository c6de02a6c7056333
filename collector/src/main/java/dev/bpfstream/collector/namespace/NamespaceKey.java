package dev.bpfstream.collector.namespace;

import dev.bpfstream.event.NamespaceKind;

/** One namespace on this host: its kind and nsfs inode (what /proc/PID/ns/KIND links to). */
public record NamespaceKey(NamespaceKind kind, long inode) {
}

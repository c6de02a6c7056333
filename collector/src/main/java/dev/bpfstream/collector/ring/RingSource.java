package dev.bpfstream.collector.ring;

import dev.bpfstream.collector.bpf.Epoll;

/** A ring the reader drains: a BPF ring buffer, or the per-CPU perf rings of a perf event array. */
public interface RingSource extends AutoCloseable {
  /** Registers the fds whose readiness means "records are waiting". */
  void register(Epoll epoll, long token);

  /** Hands every available record to {@code handler}; returns how many it handed over. */
  long drain(RecordHandler handler);

  /** Records the kernel reported lost in this ring (perf lost-sample records; 0 for the BPF ring). */
  long lostSamples();

  /** Records that could not be handed over intact (truncated, bad size). */
  long malformed();

  @Override
  void close();
}

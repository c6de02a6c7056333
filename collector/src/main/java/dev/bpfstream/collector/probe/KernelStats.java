package dev.bpfstream.collector.probe;

/**
 * Sums of a probe's per-CPU stats map: what the BPF side attempted, lost (ring full), could not
 * track (bounded map full) and dropped by the probe's rate limit. attempted == delivered + lost +
 * rateLimited once the ring is drained.
 */
public record KernelStats(long attempted, long lost, long overflow, long rateLimited) {
  public static final KernelStats NONE = new KernelStats(0, 0, 0, 0);
}

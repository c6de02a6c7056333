package dev.bpfstream.collector.probe;

/** Sums of a probe's per-CPU stats map: what the BPF side attempted, lost and could not track. */
public record KernelStats(long attempted, long lost, long overflow) {
  public static final KernelStats NONE = new KernelStats(0, 0, 0);
}

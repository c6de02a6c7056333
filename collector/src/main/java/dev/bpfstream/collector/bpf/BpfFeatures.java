package dev.bpfstream.collector.bpf;

/** Feature probes of the running kernel, through libbpf. */
public final class BpfFeatures {
  private static final int BPF_MAP_TYPE_RINGBUF = 27;

  private BpfFeatures() {
  }

  /** The BPF ring buffer map (Linux 5.8+); without it probes emit through perf rings. */
  public static boolean hasRingBuffer() {
    return Native.get().bpf.libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, null) == 1;
  }
}

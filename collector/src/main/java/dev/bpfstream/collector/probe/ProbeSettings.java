package dev.bpfstream.collector.probe;

/**
 * How records get from the probes' BPF programs to the collector: each probe's ring and the
 * thread that reads it. What a probe itself takes (limits, rates, sizes) is a probe option
 * ({@link ProbeOptions}), declared by the probe.
 *
 * @param ringBytes        size of each probe's BPF ring (power of two, >= page size); 0: each
 *                         probe's own default ({@link Probe#defaultRingBytes()})
 * @param wakeupBytes      a BPF program forces a reader wakeup once this much waits in the ring
 * @param pollTimeoutMs    the reader drains at least this often even without a wakeup
 * @param usePerfBuffer    emit through per-CPU perf rings instead of the BPF ring
 * @param perfPagesPerCpu  data pages per CPU for the perf rings (power of two)
 * @param selfTgid         the collector's pid: the programs skip its activity, so the reader's own
 *                         work (Kafka, spool, /proc reads) does not feed the rings (0: trace it too)
 */
public record ProbeSettings(int ringBytes, int wakeupBytes, int pollTimeoutMs, boolean usePerfBuffer,
                            int perfPagesPerCpu, int selfTgid) {
  public static final int DEFAULT_RING_BYTES = 4 << 20;
  private static final int MAX_WAKEUP_BYTES = 256 << 10;
  private static final int POLL_TIMEOUT_MS = 20;
  private static final int PERF_PAGES_PER_CPU = 64;

  public static ProbeSettings defaults() {
    return ring(DEFAULT_RING_BYTES, false);
  }

  /** Each probe's own ring size (BPF ring, or perf rings when {@code perfBuffer}). */
  public static ProbeSettings perProbeRing(boolean perfBuffer) {
    return ring(0, perfBuffer);
  }

  /**
   * Rings of {@code ringBytes} (0: each probe's default; BPF ring, or perf rings when
   * {@code perfBuffer}), woken at a quarter full at most.
   */
  public static ProbeSettings ring(int ringBytes, boolean perfBuffer) {
    return new ProbeSettings(ringBytes, wakeupBytes(ringBytes), POLL_TIMEOUT_MS, perfBuffer,
        PERF_PAGES_PER_CPU, (int) ProcessHandle.current().pid());
  }

  /** These settings with {@code probe}'s default ring where they leave the size to each probe. */
  public ProbeSettings forProbe(Probe probe) {
    if (ringBytes > 0) {
      return this;
    }
    int bytes = probe.defaultRingBytes();
    return new ProbeSettings(bytes, wakeupBytes(bytes), pollTimeoutMs, usePerfBuffer, perfPagesPerCpu, selfTgid);
  }

  private static int wakeupBytes(int ringBytes) {
    return Math.min(MAX_WAKEUP_BYTES, ringBytes / 4);
  }

  /** The defaults, with the collector's own process traced too: tests whose activity comes from their own JVM. */
  public static ProbeSettings tracingOwnProcess() {
    return new ProbeSettings(DEFAULT_RING_BYTES, MAX_WAKEUP_BYTES, POLL_TIMEOUT_MS, false, PERF_PAGES_PER_CPU, 0);
  }
}

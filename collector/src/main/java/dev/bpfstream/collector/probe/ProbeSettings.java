package dev.bpfstream.collector.probe;

import dev.bpfstream.collector.enrich.Redactor;

/**
 * Settings shared by every probe.
 *
 * @param ringBytes        size of each probe's BPF ring (power of two, >= page size)
 * @param wakeupBytes      a BPF program forces a reader wakeup once this much waits in the ring
 * @param pollTimeoutMs    the reader drains at least this often even without a wakeup
 * @param usePerfBuffer    emit through per-CPU perf rings instead of the BPF ring
 * @param perfPagesPerCpu  data pages per CPU for the perf rings (power of two)
 * @param argvMaxBytes     bytes of argv copied per exec
 * @param redactor         masks secrets in argv and paths
 * @param selfTgid         the collector's pid, whose own activity is not traced (0: trace it too)
 * @param sampling         CPU sampling rates and shell binaries (profile, runqlen, bashreadline)
 * @param options          per-probe limits (`--probe-option probe.key=value`), see {@link ProbeOptions}
 */
public record ProbeSettings(int ringBytes, int wakeupBytes, int pollTimeoutMs, boolean usePerfBuffer,
                            int perfPagesPerCpu, int argvMaxBytes, Redactor redactor, int selfTgid,
                            SamplingSettings sampling, ProbeOptions options) {

  public static ProbeSettings defaults() {
    return new ProbeSettings(4 << 20, 256 << 10, 20, false, 64, 1024, Redactor.defaults(), (int) ProcessHandle.current().pid(),
        SamplingSettings.defaults(), ProbeOptions.none());
  }

  public ProbeSettings withRingBytes(int bytes) {
    return new ProbeSettings(bytes, Math.min(wakeupBytes, bytes / 4), pollTimeoutMs, usePerfBuffer, perfPagesPerCpu, argvMaxBytes, redactor, selfTgid, sampling, options);
  }

  public ProbeSettings withPerfBuffer(boolean perf) {
    return new ProbeSettings(ringBytes, wakeupBytes, pollTimeoutMs, perf, perfPagesPerCpu, argvMaxBytes, redactor, selfTgid, sampling, options);
  }

  public ProbeSettings withRedactor(Redactor r) {
    return new ProbeSettings(ringBytes, wakeupBytes, pollTimeoutMs, usePerfBuffer, perfPagesPerCpu, argvMaxBytes, r, selfTgid, sampling, options);
  }

  public ProbeSettings withArgvMaxBytes(int bytes) {
    return new ProbeSettings(ringBytes, wakeupBytes, pollTimeoutMs, usePerfBuffer, perfPagesPerCpu, bytes, redactor, selfTgid, sampling, options);
  }

  public ProbeSettings withWakeupBytes(int bytes) {
    return new ProbeSettings(ringBytes, bytes, pollTimeoutMs, usePerfBuffer, perfPagesPerCpu, argvMaxBytes, redactor, selfTgid, sampling, options);
  }

  public ProbeSettings withPollTimeoutMs(int ms) {
    return new ProbeSettings(ringBytes, wakeupBytes, ms, usePerfBuffer, perfPagesPerCpu, argvMaxBytes, redactor, selfTgid, sampling, options);
  }

  public ProbeSettings withSampling(SamplingSettings s) {
    return new ProbeSettings(ringBytes, wakeupBytes, pollTimeoutMs, usePerfBuffer, perfPagesPerCpu, argvMaxBytes, redactor, selfTgid, s, options);
  }

  public ProbeSettings withOptions(ProbeOptions o) {
    return new ProbeSettings(ringBytes, wakeupBytes, pollTimeoutMs, usePerfBuffer, perfPagesPerCpu, argvMaxBytes, redactor, selfTgid, sampling, o);
  }

  /** 0 traces the collector's own process too (tests that make activity from the test JVM). */
  public ProbeSettings withSelfTgid(int tgid) {
    return new ProbeSettings(ringBytes, wakeupBytes, pollTimeoutMs, usePerfBuffer, perfPagesPerCpu, argvMaxBytes, redactor, tgid, sampling, options);
  }
}

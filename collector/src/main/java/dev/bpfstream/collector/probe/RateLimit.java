package dev.bpfstream.collector.probe;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A probe's kernel-side rate limit ({@code --probe-option PROBE.max-rate=N}, {@code PROBE.burst=N}),
 * applied by {@code begin_record} before any record is built or ring space asked for; what it drops
 * is counted per CPU as {@code rate_limited}, so {@code attempted == delivered + lost + rateLimited}.
 *
 * <p>The BPF side keeps one GCRA bucket per CPU (no shared counter, no atomics on the hot path), so
 * the probe's limit and burst are split evenly over the online CPUs: the total never exceeds
 * {@code maxPerSecond} plus the burst, and a storm confined to some CPUs gets only their shares
 * (on 2 CPUs, a single busy thread gets about half the limit).
 *
 * @param maxPerSecond events per second over all CPUs; 0: unlimited
 * @param burst        events above the rate the probe may emit at once, over all CPUs; 0: one
 *                     second's worth ({@code maxPerSecond}); each CPU gets at least one
 */
public record RateLimit(long maxPerSecond, long burst) {
  public static final RateLimit NONE = new RateLimit(0, 0);
  static final long MAX = 1_000_000_000L;
  static final List<ProbeOption> OPTIONS = List.of(
      ProbeOption.count("max-rate", 0, 0, MAX,
          "events/s over all CPUs (an even share each); the excess is dropped kernel-side, counted as rateLimited (0: unlimited)"),
      ProbeOption.count("burst", 0, 0, MAX, "events above max-rate at once (0: max-rate's worth)"));

  /** The limit set for {@code probe} (NONE for a probe whose records do not go through the ring). */
  public static RateLimit of(Probe probe, ProbeOptions options) {
    if (!probe.emitsRingRecords()) {
      return NONE;
    }
    return new RateLimit(options.number(probe, "max-rate"), options.number(probe, "burst"));
  }

  public boolean unlimited() {
    return maxPerSecond == 0;
  }

  /** Events one CPU may emit back to back. */
  long perCpuBurst(int cpus) {
    long total = burst == 0 ? maxPerSecond : burst;
    return Math.max(1, total / cpus);
  }

  /** ns between events on one CPU at the limit, rounded up so the CPUs together stay within it; 0: unlimited. */
  long intervalNs(int cpus) {
    if (unlimited()) {
      return 0;
    }
    long perCpuNs = (long) cpus * 1_000_000_000L;
    return (perCpuNs + maxPerSecond - 1) / maxPerSecond;
  }

  /** How far a CPU's theoretical arrival time may run ahead of now: (burst - 1) intervals. */
  long toleranceNs(int cpus) {
    if (unlimited()) {
      return 0;
    }
    long interval = intervalNs(cpus);
    long events = perCpuBurst(cpus) - 1;
    return events > Long.MAX_VALUE / 4 / interval ? Long.MAX_VALUE / 4 : events * interval;
  }

  /** Writes the common_config fields: the limit as configured and the per-CPU GCRA parameters. */
  void write(ByteBuffer config, int cpus) {
    config.putInt(RecordLayout.CFG_MAX_EVENTS_PER_SEC, (int) maxPerSecond);
    config.putInt(RecordLayout.CFG_BURST, (int) (unlimited() ? 0 : perCpuBurst(cpus) * cpus));
    config.putLong(RecordLayout.CFG_RATE_INTERVAL_NS, intervalNs(cpus));
    config.putLong(RecordLayout.CFG_RATE_TOLERANCE_NS, toleranceNs(cpus));
  }

  @Override
  public String toString() {
    return unlimited() ? "unlimited" : maxPerSecond + "/s, burst " + (burst == 0 ? maxPerSecond : burst);
  }
}

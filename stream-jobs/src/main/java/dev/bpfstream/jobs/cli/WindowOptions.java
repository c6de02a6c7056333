package dev.bpfstream.jobs.cli;

import java.time.Duration;

import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.source.EventTimeSettings;
import dev.bpfstream.options.DurationConverter;
import dev.bpfstream.options.DurationOrOffConverter;
import picocli.CommandLine.Option;

/** Windows and event time of the aggregate jobs ({@code workload}, {@code latency}), beside {@link JobOptions}. */
public final class WindowOptions {
  @Option(names = "--window", defaultValue = "10s", converter = DurationConverter.class,
      description = "Tumbling window (default ${DEFAULT-VALUE}).")
  Duration window;

  @Option(names = "--rollup", defaultValue = "1m", converter = DurationConverter.class,
      description = "Rollup window, a multiple of --window (workload; default ${DEFAULT-VALUE}).")
  Duration rollup;

  @Option(names = "--max-out-of-orderness", defaultValue = "500ms", converter = DurationConverter.class,
      description = "How late an event may arrive and still count (default ${DEFAULT-VALUE}).")
  Duration outOfOrderness;

  @Option(names = "--idle-timeout", defaultValue = "2s", converter = DurationConverter.class,
      description = "A partition silent this long no longer holds windows back (default ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(names = "--max-ahead", defaultValue = "5m", converter = DurationOrOffConverter.class,
      description = "An event further ahead of this job's clock is dead-lettered (FUTURE), so one host whose clock runs "
          + "ahead cannot move the watermark and make the other hosts' events late; off or 0: no limit (default ${DEFAULT-VALUE}).")
  Duration maxAhead;

  @Option(names = "--bounded", description = "Read up to the offsets current at start, emit every window, finish (backfills, benchmarks).")
  boolean bounded;

  /** {@code s} with these windows and this event time. */
  public JobSettings applyTo(JobSettings s) {
    return s.withWindow(window, rollup)
        .withEventTime(new EventTimeSettings(outOfOrderness, idleTimeout, maxAhead.isZero() ? null : maxAhead))
        .withBounded(bounded);
  }
}

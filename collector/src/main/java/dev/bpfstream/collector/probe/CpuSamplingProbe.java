package dev.bpfstream.collector.probe;

import java.util.List;
import java.util.Map;

import dev.bpfstream.collector.bpf.BpfException;
import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.bpf.PerfEvents;

/**
 * A drained probe whose program runs from a software CPU-clock perf event on every online CPU at
 * {@code hz} samples per second (option {@code NAME.hz}), instead of from a tracepoint.
 */
public abstract class CpuSamplingProbe extends DrainedProbe {
  public static final int MAX_HZ = 10_000;

  private final String program;
  private final int defaultHz;
  private int hz;
  private long startedNs;
  private int cpusSampled;

  /** @param program the object's perf_event program; {@code defaultHz} the rate without the option */
  protected CpuSamplingProbe(String program, int defaultHz) {
    this.program = program;
    this.defaultHz = defaultHz;
  }

  @Override
  public List<String> tracepoints() {
    return List.of();
  }

  @Override
  public List<ProbeOption> options() {
    return List.of(ProbeOption.count("hz", defaultHz, 1, MAX_HZ, "samples per second on each CPU"));
  }

  @Override
  protected void prepare(BpfObject object, ProbeOptions options) {
    hz = (int) options.number(this, "hz");
    startedNs = EpochNanos.now();
  }

  /** Opens one CPU-clock event per online CPU and attaches the program; the links own the events. */
  @Override
  protected void attach(BpfObject object) {
    for (int cpu : PerfEvents.onlineCpus()) {
      int fd = PerfEvents.openCpuClock(cpu, hz);
      try {
        object.attachPerfEvent(program, fd);
      } catch (BpfException e) {
        PerfEvents.close(fd);
        throw e;
      }
      cpusSampled++;
    }
  }

  /** Samples per second per CPU, as configured. */
  protected final int hz() {
    return hz;
  }

  /** When the probe was loaded (epoch ns): the start of its first interval. */
  protected final long startedNs() {
    return startedNs;
  }

  /** The CPUs sampled; a subclass adds its own counters to these. */
  @Override
  public void addCounters(LoadedProbe loaded, Map<String, Long> into) {
    into.put("cpus_sampled", (long) cpusSampled);
  }
}

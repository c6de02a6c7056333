package dev.bpfstream.collector.probes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.bpfstream.collector.bpf.BpfMap;
import dev.bpfstream.collector.probe.CpuSamplingProbe;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.EpochNanos;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.event.RunqLengthHistogram;
import dev.bpfstream.schema.Topic;

/**
 * runqlen: run-queue length sampled on each CPU (CPU-clock perf event, default 99 Hz), one
 * histogram per CPU per interval. The kernel keeps cumulative per-CPU counts; each interval
 * reports their growth, so nothing is reset and nothing races.
 */
public final class RunqLengthProbe extends CpuSamplingProbe {
  static final int SLOTS = 64;
  /** struct runqlen_hist */
  static final int HIST_SLOTS = 0;
  static final int HIST_SAMPLES = 8 * SLOTS;
  static final int HIST_WAITING_SUM = HIST_SAMPLES + 8;
  static final int HIST_SIZE = HIST_SAMPLES + 16;

  private BpfMap lengths;
  private long[][] seen;
  private long intervalStart;
  private long samples;

  public RunqLengthProbe() {
    super("runqlen_sample", 99);
  }

  @Override
  public String name() {
    return "runqlen";
  }

  @Override
  public String replaces() {
    return "runqlen";
  }

  @Override
  public String description() {
    return "run-queue length per CPU, sampled by a CPU-clock perf event (CPU saturation)";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.RUNQ_LEN);
  }

  @Override
  public synchronized void onInterval(LoadedProbe loaded, DecodeContext context) {
    if (lengths == null) {
      lengths = loaded.object().map("lengths");
      seen = new long[lengths.possibleCpus()][HIST_SIZE / 8];
      intervalStart = startedNs();
    }
    long end = EpochNanos.now();
    byte[] value = new byte[lengths.valueBytes()];
    if (!lengths.lookup(new byte[4], value)) {
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    TaskContextReader tasks = context.tasks();
    for (int cpu = 0; cpu < lengths.possibleCpus(); cpu++) {
      int at = cpu * lengths.perCpuStride();
      long[] d = new long[HIST_SIZE / 8];
      for (int i = 0; i < d.length; i++) {
        long now = b.getLong(at + 8 * i);
        d[i] = now - seen[cpu][i];
        seen[cpu][i] = now;
      }
      long n = d[HIST_SAMPLES / 8];
      if (n == 0) {
        continue;
      }
      samples += n;
      List<Long> waiting = new ArrayList<>(SLOTS);
      int max = 0;
      for (int i = 0; i < SLOTS; i++) {
        waiting.add(d[i]);
        if (d[i] > 0) {
          max = i;
        }
      }
      context.emit(Topic.RUNQ_LEN, RunqLengthHistogram.newBuilder()
          .setHostId(tasks.host().hostId())
          .setHostname(tasks.host().hostname())
          .setIntervalStartNs(intervalStart)
          .setIntervalEndNs(end)
          .setCpu(cpu)
          .setFrequencyHz(hz())
          .setSamples(n)
          .setWaiting(waiting)
          .setMeanWaiting((double) d[HIST_WAITING_SUM / 8] / n)
          .setMaxWaiting(max)
          .setOccupancyPercent(100.0 * (n - d[0]) / n)
          .build());
    }
    intervalStart = end;
  }


  @Override
  public synchronized void addCounters(LoadedProbe loaded, Map<String, Long> into) {
    into.put("samples", samples);
    super.addCounters(loaded, into);
  }
}

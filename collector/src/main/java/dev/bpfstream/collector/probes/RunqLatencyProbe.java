package dev.bpfstream.collector.probes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.bpfstream.collector.bpf.BpfMap;
import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.DrainGeneration;
import dev.bpfstream.collector.probe.DrainedProbe;
import dev.bpfstream.collector.probe.EpochNanos;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.MapKeys;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.event.Log2Histogram;
import dev.bpfstream.event.RunqLatencyHistogram;
import dev.bpfstream.schema.Log2Buckets;
import dev.bpfstream.schema.Topic;

/**
 * runqlat: run-queue latency histograms per pid namespace and cgroup, kept in the kernel and
 * drained every interval. Samples whose (pid namespace, cgroup) key did not fit the bounded map
 * are reported under pidNs 0 / cgroupId 0; that record's {@code overflowed} counts wakeups that
 * could not be timed at all (thread map full).
 */
public final class RunqLatencyProbe extends DrainedProbe {
  /** struct runq_key */
  static final int KEY_CGROUP_ID = 0;
  static final int KEY_PIDNS = 8;
  static final int KEY_GENERATION = 12;
  static final int KEY_SIZE = 16;
  /** struct runq_hist */
  static final int HIST_SLOTS = 0;
  static final int HIST_COUNT = 8 * Log2Buckets.COUNT;
  static final int HIST_SUM_NS = HIST_COUNT + 8;
  static final int HIST_UNMEASURED = HIST_COUNT + 16;
  static final int HIST_SIZE = HIST_COUNT + 24;

  private Drain drain;
  private long startedNs;

  @Override
  public String name() {
    return "runqlat";
  }

  @Override
  public String replaces() {
    return "runqlat";
  }

  @Override
  public String description() {
    return "run-queue latency log2 histograms per pid namespace and cgroup, drained each interval";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.RUNQ_HIST);
  }

  @Override
  public List<String> tracepoints() {
    return List.of("sched/sched_wakeup", "sched/sched_wakeup_new", "sched/sched_switch", "sched/sched_process_exit");
  }

  /** Kernel memory for the per-CPU histograms: entries shrink as CPUs grow (overflow is counted, not lost). */
  static final long HISTOGRAM_BYTES_BUDGET = 16L << 20;
  static final int MAX_KEYS = 4096;
  static final int MIN_KEYS = 256;

  @Override
  protected void prepare(BpfObject object, ProbeOptions options) {
    object.setMaxEntries("hists", histogramKeys(dev.bpfstream.collector.bpf.PerfEvents.possibleCpus()));
    startedNs = EpochNanos.now();
  }

  /** Both generations' (pid namespace, cgroup) keys, each a per-CPU histogram. */
  static int histogramKeys(int cpus) {
    long perKey = (long) cpus * (HIST_SIZE + 8);
    return (int) Math.max(MIN_KEYS, Math.min(MAX_KEYS, HISTOGRAM_BYTES_BUDGET / perKey));
  }

  @Override
  public synchronized void onInterval(LoadedProbe loaded, DecodeContext context) {
    if (drain == null) {
      drain = new Drain(loaded.object(), startedNs);
    }
    drain.run(context);
  }


  @Override
  public synchronized void addCounters(LoadedProbe loaded, Map<String, Long> into) {
    if (drain != null) {
      into.put("samples", drain.samples);
      into.put("records", drain.records);
    }
  }

  /** One interval's drain: flip the generation, read and delete every older key, emit. */
  static final class Drain {
    private final DrainGeneration generation;
    private final BpfMap hists;
    private final BpfMap unattributed;
    private final long[][] unattributedSeen = new long[2][HIST_SIZE / 8]; // last read, per parity
    private long intervalStart;
    long samples;
    long records;

    Drain(BpfObject object, long startedNs) {
      this.generation = new DrainGeneration(object);
      this.hists = object.map("hists");
      this.unattributed = object.map("unattributed");
      this.intervalStart = startedNs;
    }

    void run(DecodeContext context) {
      long end = EpochNanos.now();
      int ended = generation.flip();
      byte[] perCpu = new byte[hists.valueBytes()];
      ByteBuffer v = ByteBuffer.allocate(HIST_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      for (byte[] key : MapKeys.all(hists, KEY_SIZE)) {
        ByteBuffer k = ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN);
        if (k.getInt(KEY_GENERATION) == generation.current() || !hists.lookup(key, perCpu)) {
          continue;
        }
        hists.delete(key);
        sumCpus(hists, perCpu, v);
        long cgroup = k.getLong(KEY_CGROUP_ID);
        emit(context, end, Integer.toUnsignedLong(k.getInt(KEY_PIDNS)), cgroup,
            context.tasks().containerOf(cgroup), v, 0);
      }
      drainUnattributed(context, end, ended & 1, v);
      intervalStart = end;
    }

    /** Sums the per-CPU copies of a runq_hist into {@code into}. */
    private static void sumCpus(BpfMap map, byte[] perCpu, ByteBuffer into) {
      ByteBuffer b = ByteBuffer.wrap(perCpu).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < HIST_SIZE; i += 8) {
        long sum = 0;
        for (int cpu = 0; cpu < map.possibleCpus(); cpu++) {
          sum += b.getLong(cpu * map.perCpuStride() + i);
        }
        into.putLong(i, sum);
      }
    }

    /** The catch-all is cumulative per generation parity: report what it gained since last read. */
    private void drainUnattributed(DecodeContext context, long end, int parity, ByteBuffer v) {
      byte[] key = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, parity).array();
      byte[] perCpu = new byte[unattributed.valueBytes()];
      if (!unattributed.lookup(key, perCpu)) {
        return;
      }
      sumCpus(unattributed, perCpu, v);
      ByteBuffer delta = ByteBuffer.allocate(HIST_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      long[] seen = unattributedSeen[parity];
      for (int i = 0; i < seen.length; i++) {
        long now = v.getLong(8 * i);
        delta.putLong(8 * i, now - seen[i]);
        seen[i] = now;
      }
      long unmeasured = delta.getLong(HIST_UNMEASURED);
      if (delta.getLong(HIST_COUNT) != 0 || unmeasured != 0) {
        emit(context, end, 0, 0, null, delta, unmeasured);
      }
    }

    private void emit(DecodeContext context, long end, long pidNs, long cgroup, String container, ByteBuffer v, long overflowed) {
      List<Long> buckets = new ArrayList<>(Log2Buckets.COUNT);
      for (int i = 0; i < Log2Buckets.COUNT; i++) {
        buckets.add(v.getLong(HIST_SLOTS + 8 * i));
      }
      long count = v.getLong(HIST_COUNT);
      samples += count;
      records++;
      TaskContextReader tasks = context.tasks();
      context.emit(Topic.RUNQ_HIST, RunqLatencyHistogram.newBuilder()
          .setHostId(tasks.host().hostId())
          .setHostname(tasks.host().hostname())
          .setIntervalStartNs(intervalStart)
          .setIntervalEndNs(end)
          .setPidNs(pidNs)
          .setCgroupId(cgroup)
          .setContainerId(container)
          .setHistogram(new Log2Histogram(buckets, count, v.getLong(HIST_SUM_NS)))
          .setOverflowed(overflowed)
          .build());
    }
  }
}

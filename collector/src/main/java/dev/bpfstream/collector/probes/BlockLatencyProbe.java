package dev.bpfstream.collector.probes;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.enrich.BlockDeviceNames;
import dev.bpfstream.collector.probe.CounterDeltas;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.DrainedProbe;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.ProbeOption;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.RecordLayout;
import dev.bpfstream.event.BlockDevice;
import dev.bpfstream.event.BlockLatencyHistogram;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.event.BlockStage;
import dev.bpfstream.event.Log2Histogram;
import dev.bpfstream.schema.Log2Buckets;
import dev.bpfstream.schema.Topic;

/**
 * biolatency: block I/O latency histograms kept in the kernel per disk, op and stage, drained every
 * interval into one BlockLatencyHistogram per (disk, op, stage) that saw I/O.
 */
public final class BlockLatencyProbe extends DrainedProbe {
  static final int KEY_DEV = 0;
  static final int KEY_OP = 4;
  static final int KEY_STAGE = 5;
  static final int KEY_BYTES = 8;
  static final int HIST_COUNT = Log2Buckets.COUNT * 8;
  static final int HIST_SUM = HIST_COUNT + 8;
  static final int HIST_BYTES = HIST_SUM + 8;
  static final int CFG_QUEUE_STAGE = RecordLayout.CFG_COMMON_BYTES;
  static final int CFG_BYTES = RecordLayout.CFG_COMMON_BYTES + 8;
  private static final BlockOp[] OPS = BlockOp.values();
  private static final BlockStage[] STAGES = BlockStage.values();

  private final BlockDeviceNames devices = new BlockDeviceNames();
  private CounterDeltas histograms;
  private long intervalStartNs = System.currentTimeMillis() * 1_000_000L;

  @Override
  public String name() {
    return "biolatency";
  }

  @Override
  public String replaces() {
    return "biolatency";
  }

  @Override
  public String description() {
    return "block I/O latency log2 histograms per disk, op and stage (service, queue), per interval";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.BLOCK_HIST);
  }

  @Override
  public List<String> tracepoints() {
    return List.of("block/block_io_start", "block/block_rq_insert", "block/block_rq_issue", "block/block_rq_complete");
  }

  @Override
  public List<ProbeOption> options() {
    return List.of(
        ProbeOption.count("max-inflight", 16384, 64, 1 << 20, "requests tracked between insert/issue and completion"),
        ProbeOption.count("max-histograms", 1024, 16, 1 << 16, "(disk, op, stage) histograms kept in the kernel"),
        ProbeOption.flag("queue", true, "also histograms of insert-to-issue (scheduler queue) time"));
  }

  @Override
  public String notes() {
    return "exact counts per interval (cumulative in-kernel per-CPU histograms, differences sent); one I/O = one request at its final completion";
  }

  @Override
  protected int configBytes() {
    return CFG_BYTES;
  }

  @Override
  protected void writeConfig(ByteBuffer config, ProbeOptions options) {
    config.putInt(CFG_QUEUE_STAGE, options.flag(this, "queue") ? 1 : 0);
  }

  @Override
  protected void prepare(BpfObject object, ProbeOptions options) {
    object.setMaxEntries("inflight", (int) options.number(this, "max-inflight"));
    object.setMaxEntries("hists", (int) options.number(this, "max-histograms"));
  }

  @Override
  public synchronized void onInterval(LoadedProbe loaded, DecodeContext context) {
    if (histograms == null) {
      histograms = new CounterDeltas(loaded.object().map("hists"), HIST_BYTES / 8);
    }
    long end = System.currentTimeMillis() * 1_000_000L;
    for (CounterDeltas.Delta d : histograms.drain()) {
      context.emit(Topic.BLOCK_HIST, histogram(context, d, intervalStartNs, end));
    }
    intervalStartNs = end;
  }

  private BlockLatencyHistogram histogram(DecodeContext context, CounterDeltas.Delta d, long start, long end) {
    int dev = d.key().getInt(KEY_DEV);
    int major = dev >>> 20;
    int minor = dev & 0xfffff;
    int op = d.key().get(KEY_OP) & 0xff;
    int stage = d.key().get(KEY_STAGE) & 0xff;
    long[] v = d.values();
    List<Long> buckets = new ArrayList<>(Log2Buckets.COUNT);
    for (int i = 0; i < Log2Buckets.COUNT; i++) {
      buckets.add(v[i]);
    }
    return BlockLatencyHistogram.newBuilder()
        .setHostId(context.tasks().host().hostId())
        .setHostname(context.tasks().host().hostname())
        .setIntervalStartNs(start)
        .setIntervalEndNs(end)
        .setDevice(new BlockDevice(major, minor, devices.name(major, minor)))
        .setOp(op < OPS.length ? OPS[op] : BlockOp.OTHER)
        .setStage(stage < STAGES.length ? STAGES[stage] : BlockStage.SERVICE)
        .setHistogram(new Log2Histogram(buckets, v[Log2Buckets.COUNT], v[Log2Buckets.COUNT + 1]))
        .build();
  }
}

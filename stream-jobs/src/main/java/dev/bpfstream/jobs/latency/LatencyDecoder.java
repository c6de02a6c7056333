package dev.bpfstream.jobs.latency;

import java.time.Duration;
import java.util.List;

import dev.bpfstream.event.BlockDevice;
import dev.bpfstream.event.BlockIo;
import dev.bpfstream.event.BlockLatencyHistogram;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.event.FileOp;
import dev.bpfstream.event.BlockStage;
import dev.bpfstream.event.FileOpSlow;
import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.Log2Histogram;
import dev.bpfstream.event.RunqLatencyHistogram;
import dev.bpfstream.event.TaskContext;
import dev.bpfstream.event.TcpEvent;
import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.jobs.source.ObservationDecoder;
import dev.bpfstream.jobs.source.WireShortcuts;
import dev.bpfstream.jobs.wire.AvroCursor;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Reads the latency topics: block I/O (events and kernel histograms), run queue, slow file ops, TCP connects. */
public final class LatencyDecoder extends ObservationDecoder<LatencyObservation> {
  private static final long serialVersionUID = 1L;
  static final Topic[] TOPICS = {Topic.BLOCK_IO, Topic.BLOCK_HIST, Topic.RUNQ_HIST, Topic.FILE_SLOW, Topic.TCP};
  private static final BlockOp[] BLOCK_OPS = BlockOp.values();
  private static final FileOp[] FILE_OPS = FileOp.values();
  private static final TcpEventType[] TCP_TYPES = TcpEventType.values();

  private transient WireCodec<BlockIo> blockIo;
  private transient WireCodec<BlockLatencyHistogram> blockHist;
  private transient WireCodec<RunqLatencyHistogram> runq;
  private transient WireCodec<FileOpSlow> fileSlow;
  private transient WireCodec<TcpEvent> tcp;
  private transient BlockIo blockIoReuse;
  private transient FileOpSlow fileSlowReuse;
  private transient TcpEvent tcpReuse;

  /** With the default limit on events ahead of the job's clock. */
  public LatencyDecoder(String topicPrefix) {
    super(topicPrefix);
  }

  /** {@code maxAhead}: how far ahead of the job's clock an event may be (null: no limit). */
  public LatencyDecoder(String topicPrefix, Duration maxAhead) {
    super(topicPrefix, maxAhead);
  }

  @Override
  public Topic[] topics() {
    return TOPICS.clone();
  }

  @Override
  public TypeInformation<LatencyObservation> getProducedType() {
    return TypeInformation.of(LatencyObservation.class);
  }

  @Override
  protected LatencyObservation newObservation() {
    blockIo = WireCodec.of(BlockIo.class);
    blockHist = WireCodec.of(BlockLatencyHistogram.class);
    runq = WireCodec.of(RunqLatencyHistogram.class);
    fileSlow = WireCodec.of(FileOpSlow.class);
    tcp = WireCodec.of(TcpEvent.class);
    return new LatencyObservation();
  }

  @Override
  protected boolean decode(Topic topic, byte[] value, LatencyObservation o) {
    o.buckets = null;
    o.queueNs = -1;
    o.device = null;
    o.op = null;
    o.pidNs = 0;
    switch (topic) {
      case BLOCK_IO -> {
        if (blockIo(value, o)) {
          return true;
        }
        BlockIo b = blockIo.decode(value, blockIoReuse);
        blockIoReuse = b;
        task(o, b.getCtx());
        o.kind = LatencyKind.BLOCK_IO;
        o.device = deviceName(b.getDevice());
        o.valueNs = b.getServiceNs();
        o.queueNs = b.getQueueNs();
      }
      case BLOCK_HIST -> {
        BlockLatencyHistogram h = blockHist.decode(value);
        host(o, h.getHostId(), h.getHostname(), h.getIntervalEndNs(), null);
        o.kind = h.getStage() == BlockStage.QUEUE ? LatencyKind.BLOCK_QUEUE : LatencyKind.BLOCK_IO;
        o.device = deviceName(h.getDevice());
        histogram(o, h.getHistogram());
      }
      case RUNQ_HIST -> {
        RunqLatencyHistogram h = runq.decode(value);
        host(o, h.getHostId(), h.getHostname(), h.getIntervalEndNs(), h.getContainerId());
        o.kind = LatencyKind.RUNQ;
        o.pidNs = h.getPidNs();
        histogram(o, h.getHistogram());
      }
      case FILE_SLOW -> {
        if (fileSlow(value, o)) {
          return true;
        }
        FileOpSlow f = fileSlow.decode(value, fileSlowReuse);
        fileSlowReuse = f;
        task(o, f.getCtx());
        o.kind = LatencyKind.FILE_OP;
        o.op = f.getOp().name();
        o.valueNs = f.getLatencyNs();
      }
      case TCP -> {
        Boolean connect = tcpConnect(value, o);
        if (connect != null) {
          return connect;
        }
        TcpEvent t = tcp.decode(value, tcpReuse);
        tcpReuse = t;
        if (t.getType() != TcpEventType.CONNECT || t.getConnectLatencyNs() <= 0) {
          return false;
        }
        task(o, t.getCtx());
        o.kind = LatencyKind.TCP_CONNECT;
        o.valueNs = t.getConnectLatencyNs();
      }
      default -> throw new IllegalStateException("latency job does not read " + topic);
    }
    return true;
  }

  // Shortcuts: the hot per-event records of this release's schemas, only the fields used, read
  // from their bytes (WireShortcuts); anything else goes the full way above.

  private boolean blockIo(byte[] value, LatencyObservation o) {
    AvroCursor c = shortcut(value, WireShortcuts.BLOCK_IO);
    if (c == null) {
      return false;
    }
    try {
      task.read(c, strings);
      int major = c.readInt();
      int minor = c.readInt();
      String name = c.readString(strings);
      c.skipLongs(2);
      c.readIndex(BLOCK_OPS.length);
      c.skipString();
      long queueNs = c.readLong();
      long serviceNs = c.readLong();
      c.readInt();
      c.readBoolean();
      if (!c.atEnd()) {
        return false;
      }
      task(o);
      o.kind = LatencyKind.BLOCK_IO;
      o.device = deviceName(major, minor, name);
      o.valueNs = serviceNs;
      o.queueNs = queueNs;
      return true;
    } catch (AvroCursor.Unreadable e) {
      return false;
    }
  }

  private boolean fileSlow(byte[] value, LatencyObservation o) {
    AvroCursor c = shortcut(value, WireShortcuts.FILE_SLOW);
    if (c == null) {
      return false;
    }
    try {
      task.read(c, strings);
      FileOp op = FILE_OPS[c.readIndex(FILE_OPS.length)];
      c.readInt();
      c.skipString();
      c.skipString();
      c.skipLongs(2);
      long latencyNs = c.readLong();
      c.readLong();
      if (!c.atEnd()) {
        return false;
      }
      task(o);
      o.kind = LatencyKind.FILE_OP;
      o.op = op.name();
      o.valueNs = latencyNs;
      return true;
    } catch (AvroCursor.Unreadable e) {
      return false;
    }
  }

  /** True: a connect read; false: a record this job skips; null: not read here. */
  private Boolean tcpConnect(byte[] value, LatencyObservation o) {
    AvroCursor c = shortcut(value, WireShortcuts.TCP);
    if (c == null) {
      return null;
    }
    try {
      task.read(c, strings);
      TcpEventType type = TCP_TYPES[c.readIndex(TCP_TYPES.length)];
      c.readBoolean();
      c.readInt();
      c.skipString();
      c.readInt();
      c.skipString();
      c.readInt();
      c.skipString();
      long connectNs = c.readLong();
      c.skipLongs(3);
      c.skipString();
      if (!c.atEnd()) {
        return null;
      }
      if (type != TcpEventType.CONNECT || connectNs <= 0) {
        return false;
      }
      task(o);
      o.kind = LatencyKind.TCP_CONNECT;
      o.valueNs = connectNs;
      return true;
    } catch (AvroCursor.Unreadable e) {
      return null;
    }
  }

  private void task(LatencyObservation o) {
    o.hostId = task.hostId;
    o.hostname = task.hostname;
    o.timeNs = task.timeNs;
    o.containerId = task.containerId;
    o.pidNs = task.pidNs;
  }

  private static void task(LatencyObservation o, TaskContext c) {
    o.hostId = c.getHostId();
    o.hostname = c.getHostname();
    o.timeNs = c.getTimeNs();
    o.containerId = c.getContainerId();
    o.pidNs = c.getNs().getPid();
  }

  /** Interval histograms take the time of their interval's last nanosecond: they belong to the window it ends in. */
  private static void host(LatencyObservation o, String hostId, String hostname, long intervalEndNs, String containerId) {
    o.hostId = hostId;
    o.hostname = hostname;
    o.timeNs = intervalEndNs - 1;
    o.containerId = containerId;
  }

  private static void histogram(LatencyObservation o, Log2Histogram h) {
    List<Long> b = h.getBuckets();
    long[] buckets = new long[b.size()];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = b.get(i);
    }
    o.buckets = buckets;
    o.histogramSumNs = h.getSumNs();
  }

  static String deviceName(BlockDevice d) {
    return deviceName(d.getMajor(), d.getMinor(), d.getName());
  }

  static String deviceName(int major, int minor, String name) {
    return name == null || name.isEmpty() ? major + ":" + minor : name;
  }
}

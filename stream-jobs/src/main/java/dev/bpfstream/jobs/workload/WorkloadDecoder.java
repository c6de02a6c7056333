package dev.bpfstream.jobs.workload;

import java.time.Duration;

import dev.bpfstream.event.BlockIo;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.event.FileOp;
import dev.bpfstream.event.FileOpSlow;
import dev.bpfstream.event.FileOpen;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.event.ProfileSample;
import dev.bpfstream.event.TaskContext;
import dev.bpfstream.event.TcpEvent;
import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.jobs.source.ObservationDecoder;
import dev.bpfstream.jobs.source.WireShortcuts;
import dev.bpfstream.jobs.wire.AvroCursor;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Reads the per-task event topics for workload characterization. */
public final class WorkloadDecoder extends ObservationDecoder<WorkloadObservation> {
  private static final long serialVersionUID = 1L;
  static final Topic[] TOPICS = {Topic.EXEC, Topic.EXIT, Topic.OPEN, Topic.FILE_SLOW, Topic.BLOCK_IO, Topic.TCP, Topic.PROFILE};

  private static final BlockOp[] BLOCK_OPS = BlockOp.values();
  private static final FileOp[] FILE_OPS = FileOp.values();
  private static final TcpEventType[] TCP_TYPES = TcpEventType.values();

  private transient WireCodec<ProcessExec> exec;
  private transient WireCodec<ProcessExit> exit;
  private transient WireCodec<FileOpen> open;
  private transient WireCodec<FileOpSlow> fileSlow;
  private transient WireCodec<BlockIo> blockIo;
  private transient WireCodec<TcpEvent> tcp;
  private transient WireCodec<ProfileSample> profile;
  private transient ProcessExec execReuse;
  private transient ProcessExit exitReuse;
  private transient FileOpen openReuse;
  private transient FileOpSlow fileSlowReuse;
  private transient BlockIo blockIoReuse;
  private transient TcpEvent tcpReuse;
  private transient ProfileSample profileReuse;

  /** With the default limit on events ahead of the job's clock. */
  public WorkloadDecoder(String topicPrefix) {
    super(topicPrefix);
  }

  /** {@code maxAhead}: how far ahead of the job's clock an event may be (null: no limit). */
  public WorkloadDecoder(String topicPrefix, Duration maxAhead) {
    super(topicPrefix, maxAhead);
  }

  @Override
  public Topic[] topics() {
    return TOPICS.clone();
  }

  @Override
  public TypeInformation<WorkloadObservation> getProducedType() {
    return TypeInformation.of(WorkloadObservation.class);
  }

  @Override
  protected WorkloadObservation newObservation() {
    exec = WireCodec.of(ProcessExec.class);
    exit = WireCodec.of(ProcessExit.class);
    open = WireCodec.of(FileOpen.class);
    fileSlow = WireCodec.of(FileOpSlow.class);
    blockIo = WireCodec.of(BlockIo.class);
    tcp = WireCodec.of(TcpEvent.class);
    profile = WireCodec.of(ProfileSample.class);
    return new WorkloadObservation();
  }

  @Override
  protected boolean decode(Topic topic, byte[] value, WorkloadObservation o) {
    o.exe = null;
    o.bytes = 0;
    o.write = false;
    o.device = null;
    o.failed = false;
    o.lifetimeNs = 0;
    o.tcpType = null;
    o.remote = null;
    o.samples = 0;
    o.stack = null;
    if (shortcut(topic, value, o)) {
      return true;
    }
    switch (topic) {
      case EXEC -> {
        execReuse = exec.decode(value, execReuse);
        task(o, execReuse.getCtx(), WorkloadObservation.Kind.EXEC);
        o.exe = execReuse.getFilename();
      }
      case EXIT -> {
        exitReuse = exit.decode(value, exitReuse);
        task(o, exitReuse.getCtx(), WorkloadObservation.Kind.EXIT);
        o.lifetimeNs = exitReuse.getLifetimeNs();
      }
      case OPEN -> {
        openReuse = open.decode(value, openReuse);
        task(o, openReuse.getCtx(), WorkloadObservation.Kind.OPEN);
        o.failed = openReuse.getErrno() != 0;
      }
      case FILE_SLOW -> {
        fileSlowReuse = fileSlow.decode(value, fileSlowReuse);
        task(o, fileSlowReuse.getCtx(), WorkloadObservation.Kind.FILE_OP);
        o.bytes = Math.max(0, fileSlowReuse.getBytes());
        FileOp op = fileSlowReuse.getOp();
        o.write = op == FileOp.WRITE || op == FileOp.PWRITE || op == FileOp.WRITEV;
      }
      case BLOCK_IO -> {
        blockIoReuse = blockIo.decode(value, blockIoReuse);
        task(o, blockIoReuse.getCtx(), WorkloadObservation.Kind.BLOCK_IO);
        o.bytes = blockIoReuse.getBytes();
        o.write = blockIoReuse.getOp() == BlockOp.WRITE;
        String name = blockIoReuse.getDevice().getName();
        o.device = name == null || name.isEmpty()
            ? blockIoReuse.getDevice().getMajor() + ":" + blockIoReuse.getDevice().getMinor() : name;
      }
      case TCP -> {
        tcpReuse = tcp.decode(value, tcpReuse);
        task(o, tcpReuse.getCtx(), WorkloadObservation.Kind.TCP);
        o.tcpType = tcpReuse.getType();
        o.remote = tcpReuse.getDaddr();
        o.bytes = tcpReuse.getBytesSent() + tcpReuse.getBytesReceived();
      }
      case PROFILE -> {
        profileReuse = profile.decode(value, profileReuse);
        task(o, profileReuse.getCtx(), WorkloadObservation.Kind.PROFILE);
        o.samples = profileReuse.getCount();
        o.stack = profileReuse.getFolded();
        // A profile record covers an interval; it belongs to the window its interval ends in.
        o.timeNs = profileReuse.getIntervalEndNs() - 1;
      }
      default -> throw new IllegalStateException("workload job does not read " + topic);
    }
    return true;
  }

  /**
   * The records of this release's schemas read from their bytes, only the fields used
   * ({@link WireShortcuts}); false: read them the full way.
   */
  private boolean shortcut(Topic topic, byte[] value, WorkloadObservation o) {
    long fingerprint = switch (topic) {
      case EXEC -> WireShortcuts.EXEC;
      case EXIT -> WireShortcuts.EXIT;
      case OPEN -> WireShortcuts.OPEN;
      case FILE_SLOW -> WireShortcuts.FILE_SLOW;
      case BLOCK_IO -> WireShortcuts.BLOCK_IO;
      case TCP -> WireShortcuts.TCP;
      case PROFILE -> WireShortcuts.PROFILE;
      default -> 0;
    };
    AvroCursor c = shortcut(value, fingerprint);
    if (c == null) {
      return false;
    }
    try {
      task.read(c, strings);
      WorkloadObservation.Kind kind;
      long bytes = 0;
      boolean write = false;
      boolean failed = false;
      long lifetimeNs = 0;
      String device = null;
      TcpEventType tcpType = null;
      String remote = null;
      long samples = 0;
      String stack = null;
      String exe = null;
      long timeNs = task.timeNs;
      switch (topic) {
        case EXEC -> {
          kind = WorkloadObservation.Kind.EXEC;
          exe = c.readString(strings);
          c.skipStringArray();
          c.readBoolean();
          c.readInt();
          c.readInt();
          c.readLong();
          c.readInt();
        }
        case EXIT -> {
          kind = WorkloadObservation.Kind.EXIT;
          c.readInt();
          c.readInt();
          c.readBoolean();
          c.readLong();
          lifetimeNs = c.readLong();
        }
        case OPEN -> {
          kind = WorkloadObservation.Kind.OPEN;
          c.skipString();
          c.skipString();
          c.readBoolean();
          c.readInt();
          c.readInt();
          c.readInt();
          failed = c.readInt() != 0;
        }
        case FILE_SLOW -> {
          kind = WorkloadObservation.Kind.FILE_OP;
          FileOp op = FILE_OPS[c.readIndex(FILE_OPS.length)];
          c.readInt();
          c.skipString();
          c.skipString();
          bytes = Math.max(0, c.readLong());
          c.skipLongs(3);
          write = op == FileOp.WRITE || op == FileOp.PWRITE || op == FileOp.WRITEV;
        }
        case BLOCK_IO -> {
          kind = WorkloadObservation.Kind.BLOCK_IO;
          int major = c.readInt();
          int minor = c.readInt();
          String name = c.readString(strings);
          device = name.isEmpty() ? major + ":" + minor : name;
          c.readLong();
          bytes = c.readLong();
          write = BLOCK_OPS[c.readIndex(BLOCK_OPS.length)] == BlockOp.WRITE;
          c.skipString();
          c.skipLongs(2);
          c.readInt();
          c.readBoolean();
        }
        case TCP -> {
          kind = WorkloadObservation.Kind.TCP;
          tcpType = TCP_TYPES[c.readIndex(TCP_TYPES.length)];
          c.readBoolean();
          c.readInt();
          c.skipString();
          c.readInt();
          remote = c.readString(strings);
          c.readInt();
          c.skipString();
          c.skipLongs(2);
          bytes = c.readLong();
          bytes += c.readLong();
          c.skipString();
        }
        case PROFILE -> {
          kind = WorkloadObservation.Kind.PROFILE;
          c.readLong();
          // A profile record covers an interval; it belongs to the window its interval ends in.
          timeNs = c.readLong() - 1;
          c.readInt();
          samples = c.readLong();
          c.skipStringArray();
          c.skipStringArray();
          stack = c.readString(strings);
          c.readBoolean();
          c.readBoolean();
        }
        default -> {
          return false;
        }
      }
      if (!c.atEnd()) {
        return false;
      }
      o.kind = kind;
      o.hostId = task.hostId;
      o.hostname = task.hostname;
      o.timeNs = timeNs;
      o.containerId = task.containerId;
      o.pidNs = task.pidNs;
      o.comm = task.comm;
      o.pid = task.pid;
      o.uid = task.uid;
      o.bytes = bytes;
      o.write = write;
      o.failed = failed;
      o.lifetimeNs = lifetimeNs;
      o.device = device;
      o.tcpType = tcpType;
      o.remote = remote;
      o.samples = samples;
      o.stack = stack;
      o.exe = exe;
      return true;
    } catch (AvroCursor.Unreadable e) {
      return false;
    }
  }

  private static void task(WorkloadObservation o, TaskContext c, WorkloadObservation.Kind kind) {
    o.kind = kind;
    o.hostId = c.getHostId();
    o.hostname = c.getHostname();
    o.timeNs = c.getTimeNs();
    o.containerId = c.getContainerId();
    o.pidNs = c.getNs().getPid();
    o.comm = c.getComm();
    o.pid = c.getPid();
    o.uid = c.getUid();
  }
}

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
import dev.bpfstream.jobs.source.ObservationDecoder;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Reads the per-task event topics for workload characterization. */
public final class WorkloadDecoder extends ObservationDecoder<WorkloadObservation> {
  private static final long serialVersionUID = 1L;
  static final Topic[] TOPICS = {Topic.EXEC, Topic.EXIT, Topic.OPEN, Topic.FILE_SLOW, Topic.BLOCK_IO, Topic.TCP, Topic.PROFILE};

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

package dev.bpfstream.jobs.testing;

import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.event.BlockDevice;
import dev.bpfstream.event.BlockIo;
import dev.bpfstream.event.BlockLatencyHistogram;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.event.BlockStage;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.Log2Histogram;
import dev.bpfstream.event.Namespaces;
import dev.bpfstream.event.ProbeHealth;
import dev.bpfstream.event.TaskContext;

/** Small builders of input records for tests. */
public final class Records {
  /** A window-aligned base time: 2026-01-01T00:00:00Z in ns. */
  public static final long T0 = 1_767_225_600_000L * 1_000_000L;
  public static final long SECOND = 1_000_000_000L;

  private Records() {
  }

  public static TaskContext ctx(String host, long timeNs, int pid, String comm, long uid, String container, long pidNs) {
    Namespaces ns = new Namespaces(4026531840L, 4026531838L, 4026531839L, pidNs, 4026531833L, 4026531837L, 4026531835L, 4026531834L);
    return TaskContext.newBuilder()
        .setHostId(host).setHostname(host + ".local").setTimeNs(timeNs).setCpu(0)
        .setPid(pid).setTid(pid).setPpid(1).setUid(uid).setGid(uid).setComm(comm)
        .setCgroupId(1).setContainerId(container).setNs(ns).setSeq(0).build();
  }

  public static BlockIo blockIo(String host, long timeNs, String device, BlockOp op, long bytes, long queueNs, long serviceNs) {
    return BlockIo.newBuilder()
        .setCtx(ctx(host, timeNs, 100, "dd", 0, null, 4026531836L))
        .setDevice(new BlockDevice(253, 0, device))
        .setSector(0).setBytes(bytes).setOp(op).setRwbs(op == BlockOp.READ ? "R" : "W")
        .setQueueNs(queueNs).setServiceNs(serviceNs).build();
  }

  public static dev.bpfstream.event.ProcessExec exec(String host, long timeNs, int pid, String comm, long uid, String container) {
    return dev.bpfstream.event.ProcessExec.newBuilder().setCtx(ctx(host, timeNs, pid, comm, uid, container, 4026531836L))
        .setFilename("/usr/bin/" + comm).build();
  }

  public static dev.bpfstream.event.ProcessExit exit(String host, long timeNs, int pid, String comm, long lifetimeNs) {
    return dev.bpfstream.event.ProcessExit.newBuilder().setCtx(ctx(host, timeNs, pid, comm, 0, null, 4026531836L))
        .setExitCode(0).setSignal(0).setStartTimeNs(timeNs - lifetimeNs).setLifetimeNs(lifetimeNs).build();
  }

  public static dev.bpfstream.event.FileOpen open(String host, long timeNs, int pid, String comm, long uid, int errno) {
    return dev.bpfstream.event.FileOpen.newBuilder().setCtx(ctx(host, timeNs, pid, comm, uid, null, 4026531836L))
        .setSyscall("openat").setPath("/etc/passwd").setFlags(0).setMode(0).setFd(errno == 0 ? 3 : -1).setErrno(errno).build();
  }

  public static BlockIo blockIo(String host, long timeNs, int pid, String comm, String device, BlockOp op, long bytes) {
    BlockIo b = blockIo(host, timeNs, device, op, bytes, 0, 100_000);
    b.setCtx(ctx(host, timeNs, pid, comm, 0, null, 4026531836L));
    return b;
  }

  public static dev.bpfstream.event.TcpEvent tcp(String host, long timeNs, int pid, String comm, dev.bpfstream.event.TcpEventType type, String daddr) {
    return dev.bpfstream.event.TcpEvent.newBuilder().setCtx(ctx(host, timeNs, pid, comm, 0, null, 4026531836L))
        .setType(type).setFamily(4).setSaddr("10.0.0.9").setSport(40000).setDaddr(daddr).setDport(443)
        .setState("ESTABLISHED").setConnectLatencyNs(type == dev.bpfstream.event.TcpEventType.CONNECT ? 200_000 : 0).build();
  }

  public static dev.bpfstream.event.ProfileSample profile(String host, long startNs, long endNs, int pid, String comm, long count, String folded) {
    return dev.bpfstream.event.ProfileSample.newBuilder().setCtx(ctx(host, startNs, pid, comm, 0, null, 4026531836L))
        .setIntervalStartNs(startNs).setIntervalEndNs(endNs).setFrequencyHz(99).setCount(count).setFolded(folded).build();
  }

  public static dev.bpfstream.event.FileOpSlow fileSlow(String host, long timeNs, int pid, String comm, long latencyNs) {
    return dev.bpfstream.event.FileOpSlow.newBuilder().setCtx(ctx(host, timeNs, pid, comm, 0, null, 4026531836L))
        .setOp(dev.bpfstream.event.FileOp.READ).setFd(3).setPath("data.db").setFsType("ext4").setBytes(4096).setLatencyNs(latencyNs).build();
  }

  public static dev.bpfstream.event.RunqLatencyHistogram runqHist(String host, long startNs, long endNs, Log2Histogram h) {
    return dev.bpfstream.event.RunqLatencyHistogram.newBuilder()
        .setHostId(host).setHostname(host + ".local").setIntervalStartNs(startNs).setIntervalEndNs(endNs)
        .setPidNs(4026531836L).setCgroupId(1).setContainerId(null).setHistogram(h).build();
  }

  public static Log2Histogram log2(long... buckets) {
    List<Long> b = new ArrayList<>();
    long count = 0;
    for (int i = 0; i < 64; i++) {
      long c = i < buckets.length ? buckets[i] : 0;
      b.add(c);
      count += c;
    }
    return Log2Histogram.newBuilder().setBuckets(b).setCount(count).setSumNs(0).build();
  }

  public static BlockLatencyHistogram blockHist(String host, long startNs, long endNs, String device, Log2Histogram h) {
    return BlockLatencyHistogram.newBuilder()
        .setHostId(host).setHostname(host + ".local").setIntervalStartNs(startNs).setIntervalEndNs(endNs)
        .setDevice(new BlockDevice(253, 0, device)).setOp(BlockOp.READ).setStage(BlockStage.SERVICE)
        .setHistogram(h).build();
  }

  public static CollectorHealth health(String host, long timeNs, long startedNs, long lostKernel) {
    ProbeHealth p = ProbeHealth.newBuilder()
        .setProbe("blockio").setAttached(true).setAttempted(1000).setDelivered(1000 - lostKernel)
        .setLostKernel(lostKernel).setLostUser(0).setParseErrors(0).setProduced(1000 - lostKernel).build();
    return CollectorHealth.newBuilder()
        .setHostId(host).setHostname(host + ".local").setTimeNs(timeNs).setIntervalNs(10 * SECOND)
        .setStartedNs(startedNs).setVersion("test").setKernelRelease("6.18").setProbes(List.of(p)).build();
  }
}

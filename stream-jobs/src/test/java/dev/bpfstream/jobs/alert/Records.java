package dev.bpfstream.jobs.alert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.IdMapEntry;
import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.Log2Histogram;
import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.event.NamespaceSyscall;
import dev.bpfstream.event.NamespaceTransition;
import dev.bpfstream.event.Namespaces;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.TaskContext;
import dev.bpfstream.event.TcpEvent;
import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.event.TopEntry;
import dev.bpfstream.event.WorkloadSummary;

/** Small, readable test records. Times are epoch ns from T0. */
public final class Records {
  public static final long T0 = 1_700_000_000_000_000_000L;
  public static final long SECOND = 1_000_000_000L;
  public static final long MS = 1_000_000L;
  public static final long HOST_NET = 4026531840L;

  private Records() {
  }

  public static TaskContext ctx(String host, String container, int pid, long uid, String comm, long timeNs) {
    Namespaces ns = new Namespaces(4026531841L, 4026531838L, 4026531839L, 4026531836L, HOST_NET, 4026531837L, 4026531835L, 4026531834L);
    return TaskContext.newBuilder().setHostId(host).setHostname(host).setTimeNs(timeNs).setCpu(0)
        .setPid(pid).setTid(pid).setPpid(1).setUid(uid).setGid(uid).setComm(comm).setCgroupId(1)
        .setContainerId(container).setNs(ns).setSeq(0).build();
  }

  public static ProcessExec exec(String host, String container, long uid, String filename, int fileMode, long fileUid, int dirMode, long timeNs) {
    String comm = filename.substring(filename.lastIndexOf('/') + 1);
    return ProcessExec.newBuilder().setCtx(ctx(host, container, 4242, uid, comm, timeNs)).setFilename(filename)
        .setArgv(List.of(comm, "-x")).setFileMode(fileMode).setFileUid(fileUid).setDirMode(dirMode).build();
  }

  public static ProcessExit exit(String host, String container, String comm, long lifetimeNs, long timeNs) {
    return ProcessExit.newBuilder().setCtx(ctx(host, container, 5000, 1000, comm, timeNs)).setExitCode(0).setSignal(0)
        .setStartTimeNs(timeNs - lifetimeNs).setLifetimeNs(lifetimeNs).build();
  }

  public static WorkloadSummary workload(Scope scope, String host, String container, long windowStartNs, long windowNs, Map<String, Double> figures) {
    return WorkloadSummary.newBuilder().setWindowStartNs(windowStartNs).setWindowEndNs(windowStartNs + windowNs).setWindowSizeNs(windowNs)
        .setScope(scope).setHostId(host).setHostname(host).setContainerId(container).setFigures(figures)
        .setTopProcesses(List.of(new TopEntry("sh", 40L, 0L, 0L), new TopEntry("curl", 12L, 0L, 0L)))
        .build();
  }

  public static LatencySummary latency(LatencyKind kind, String host, String device, long windowStartNs, long windowNs, long p99Ns) {
    return LatencySummary.newBuilder().setWindowStartNs(windowStartNs).setWindowEndNs(windowStartNs + windowNs)
        .setKind(kind).setScope(Scope.HOST).setHostId(host).setHostname(host).setDimension(device.equals("all") ? "all" : "device").setDimensionValue(device)
        .setCount(1000).setP50Ns(p99Ns / 10).setP90Ns(p99Ns / 2).setP99Ns(p99Ns).setP999Ns(p99Ns * 2).setMaxNs(p99Ns * 3)
        .setMeanNs(p99Ns / 8.0).setHistogram(new Log2Histogram(new ArrayList<>(Collections.nCopies(64, 0L)), 1000L, 0L))
        .build();
  }

  public static TcpEvent tcp(String host, String container, long netNs, TcpEventType type, int dport, long timeNs) {
    TaskContext c = ctx(host, container, 7000, 1000, "curl", timeNs);
    c.getNs().setNet(netNs);
    return TcpEvent.newBuilder().setCtx(c).setType(type).setFamily(4).setSaddr("10.0.0.2").setSport(40000)
        .setDaddr("10.0.0.9").setDport(dport).setState("ESTABLISHED").build();
  }

  public static CollectorHealth health(String host, long timeNs, long intervalNs) {
    return CollectorHealth.newBuilder().setHostId(host).setHostname(host).setTimeNs(timeNs).setIntervalNs(intervalNs)
        .setStartedNs(T0).setVersion("0.1.0").setKernelRelease("6.18").build();
  }

  public static NamespaceMetadata userNs(String host, long inode, long insideStart, long outside, boolean removed, long timeNs) {
    return NamespaceMetadata.newBuilder().setHostId(host).setHostname(host).setTimeNs(timeNs).setKind(NamespaceKind.USER)
        .setInode(inode).setUidMap(List.of(new IdMapEntry(insideStart, outside, 1L))).setGidMap(List.of(new IdMapEntry(insideStart, outside, 1L)))
        .setFirstSeenNs(timeNs).setLastSeenNs(timeNs).setMemberCount(1).setSamplePid(777).setRemoved(removed).build();
  }

  public static NamespaceMetadata namespace(String host, NamespaceKind kind, long inode, String container, long timeNs) {
    return NamespaceMetadata.newBuilder().setHostId(host).setHostname(host).setTimeNs(timeNs).setKind(kind).setInode(inode)
        .setContainerId(container).setFirstSeenNs(timeNs).setLastSeenNs(timeNs).setMemberCount(3).build();
  }

  public static NamespaceChange setns(String host, String callerContainer, NamespaceKind kind, long before, long after, long retval, long timeNs) {
    return NamespaceChange.newBuilder().setCtx(ctx(host, callerContainer, 6000, 0, "nsenter", timeNs)).setSyscall(NamespaceSyscall.SETNS)
        .setFlags(0).setRetval(retval).setChanges(List.of(new NamespaceTransition(kind, before, after, false))).build();
  }
}

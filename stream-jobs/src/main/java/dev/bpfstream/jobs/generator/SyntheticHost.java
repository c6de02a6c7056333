package dev.bpfstream.jobs.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.bpfstream.event.BlockDevice;
import dev.bpfstream.event.BlockIo;
import dev.bpfstream.event.BlockLatencyHistogram;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.event.BlockStage;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.FileOp;
import dev.bpfstream.event.FileOpSlow;
import dev.bpfstream.event.FileOpen;
import dev.bpfstream.event.Log2Histogram;
import dev.bpfstream.event.Namespaces;
import dev.bpfstream.event.ProbeHealth;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.event.ProfileSample;
import dev.bpfstream.event.RunqLatencyHistogram;
import dev.bpfstream.event.TaskContext;
import dev.bpfstream.event.TcpEvent;
import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.schema.Log2Buckets;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecord;

/**
 * One synthetic host: containers, pid namespaces, a process table, block devices, remote peers and
 * stacks, and the known distributions its events are drawn from (see {@link FleetProfile}). Not
 * thread-safe; records are reused, so each must be written before the next is made.
 */
public final class SyntheticHost {
  private static final String[] COMMS = {"java", "postgres", "nginx", "python3", "node", "redis-server", "sh", "bash",
      "curl", "make", "cc1", "ld", "git", "sshd", "systemd", "kworker", "containerd", "envoy", "dd", "tar"};
  private static final long ROOT_PID_NS = 4026531836L;

  private final String hostId;
  private final String hostname;
  private final FleetProfile profile;
  private final SplittableRandom random;
  private final String[] containers;
  private final long[] containerPidNs;
  private final Proc[] procs;
  private final Distributions.Zipf procRank;
  private final Distributions.Zipf remoteRank;
  private final Distributions.Zipf stackRank;
  private final String[] devices;
  private final String[] stacks;
  private final long startedNs;
  private long lostKernel;
  private long delivered;
  private long seq;

  private final TaskContext ctx;
  private final BlockIo blockIo;
  private final FileOpen open;
  private final FileOpSlow fileSlow;
  private final TcpEvent tcp;
  private final ProcessExec exec;
  private final ProcessExit exit;
  private final ProfileSample sample;

  record Proc(String comm, int pid, long uid, int container) {
  }

  public SyntheticHost(int index, FleetProfile profile, long seed, long startedNs) {
    this.hostId = String.format("host-%04d", index);
    this.hostname = hostId + ".fleet";
    this.profile = profile;
    this.random = new SplittableRandom(seed * 31 + index);
    this.startedNs = startedNs;
    containers = new String[profile.containersPerHost()];
    containerPidNs = new long[containers.length];
    for (int c = 0; c < containers.length; c++) {
      containers[c] = String.format("%012x%04x", index * 1000L + c, c);
      containerPidNs[c] = 4026532000L + index * 100L + c;
    }
    procs = new Proc[profile.processesPerHost()];
    for (int p = 0; p < procs.length; p++) {
      // Processes outside containers (-1) and inside each container, spread evenly.
      int container = containers.length == 0 ? -1 : (p % (containers.length + 1)) - 1;
      procs[p] = new Proc(COMMS[p % COMMS.length], 1000 + p, p % 5 == 0 ? 0 : 1000 + p % 7, container);
    }
    procRank = new Distributions.Zipf(procs.length);
    remoteRank = new Distributions.Zipf(profile.remoteAddresses());
    stackRank = new Distributions.Zipf(profile.stacks());
    devices = new String[profile.devicesPerHost()];
    for (int d = 0; d < devices.length; d++) {
      devices[d] = "nvme" + d + "n1";
    }
    stacks = new String[profile.stacks()];
    for (int s = 0; s < stacks.length; s++) {
      stacks[s] = "app;main;handler_" + (s % 13) + ";work_" + s + ";memcpy";
    }
    Namespaces ns = new Namespaces(4026531840L, 4026531838L, 4026531839L, ROOT_PID_NS, 4026531833L, 4026531837L, 4026531835L, 4026531834L);
    ctx = TaskContext.newBuilder().setHostId(hostId).setHostname(hostname).setTimeNs(0).setCpu(0).setPid(1).setTid(1)
        .setPpid(1).setUid(0).setGid(0).setComm("init").setCgroupId(1).setNs(ns).setSeq(0).build();
    blockIo = BlockIo.newBuilder().setCtx(ctx).setDevice(new BlockDevice(259, 0, devices[0])).setSector(0).setBytes(0)
        .setOp(BlockOp.READ).setQueueNs(0).setServiceNs(0).build();
    open = FileOpen.newBuilder().setCtx(ctx).setSyscall("openat").setPath("/etc/hosts").setFlags(0).setMode(0).setFd(3)
        .setErrno(0).build();
    fileSlow = FileOpSlow.newBuilder().setCtx(ctx).setOp(FileOp.READ).setFd(3).setPath("data.db").setFsType("ext4")
        .setBytes(0).setLatencyNs(0).build();
    tcp = TcpEvent.newBuilder().setCtx(ctx).setType(TcpEventType.CONNECT).setFamily(4).setSaddr("10.1.0.1").setSport(0)
        .setDaddr("").setDport(443).setState("ESTABLISHED").build();
    exec = ProcessExec.newBuilder().setCtx(ctx).setFilename("/usr/bin/sh").build();
    exit = ProcessExit.newBuilder().setCtx(ctx).setExitCode(0).setSignal(0).setStartTimeNs(0).setLifetimeNs(0).build();
    sample = ProfileSample.newBuilder().setCtx(ctx).setIntervalStartNs(0).setIntervalEndNs(0).setFrequencyHz(99)
        .setCount(1).setFolded("").build();
  }

  public String hostId() {
    return hostId;
  }

  /** One per-task event of {@code topic} at {@code timeNs}. */
  public SpecificRecord event(Topic topic, long timeNs) {
    Proc p = procs[procRank.next(random)];
    ctx.setTimeNs(timeNs);
    ctx.setPid(p.pid());
    ctx.setTid(p.pid());
    ctx.setComm(p.comm());
    ctx.setUid(p.uid());
    ctx.setGid(p.uid());
    ctx.setCpu((int) (seq % 8));
    ctx.setSeq(seq++);
    ctx.setContainerId(p.container() < 0 ? null : containers[p.container()]);
    ctx.getNs().setPid(p.container() < 0 ? ROOT_PID_NS : containerPidNs[p.container()]);
    delivered++;
    switch (topic) {
      case BLOCK_IO -> {
        int d = random.nextInt(devices.length);
        blockIo.getDevice().setName(devices[d]);
        blockIo.getDevice().setMinor(d);
        boolean write = random.nextInt(100) < profile.writePercent();
        blockIo.setOp(write ? BlockOp.WRITE : BlockOp.READ);
        blockIo.setRwbs(write ? "W" : "R");
        blockIo.setBytes(4096L << random.nextInt(6));
        blockIo.setSector(random.nextLong(1L << 30));
        blockIo.setQueueNs(Distributions.logNormal(random, profile.blockQueueMedianNs(), profile.sigma()));
        blockIo.setServiceNs(Distributions.logNormal(random, profile.blockServiceMedianNs(), profile.sigma()));
        return blockIo;
      }
      case OPEN -> {
        boolean fail = random.nextInt(100) < profile.failedOpenPercent();
        open.setErrno(fail ? 2 : 0);
        open.setFd(fail ? -1 : 3 + random.nextInt(60));
        return open;
      }
      case FILE_SLOW -> {
        fileSlow.setOp(random.nextBoolean() ? FileOp.READ : FileOp.WRITE);
        fileSlow.setBytes(4096L << random.nextInt(5));
        fileSlow.setLatencyNs(Distributions.logNormal(random, profile.fileOpMedianNs(), profile.sigma()));
        return fileSlow;
      }
      case TCP -> {
        int k = random.nextInt(10);
        TcpEventType type = k < 4 ? TcpEventType.CONNECT : k < 6 ? TcpEventType.ACCEPT : k < 9 ? TcpEventType.CLOSE
            : TcpEventType.RETRANSMIT;
        tcp.setType(type);
        tcp.setDaddr("10.2." + (remoteRank.next(random) / 250) + "." + (remoteRank.next(random) % 250));
        tcp.setSport(32768 + random.nextInt(28000));
        tcp.setConnectLatencyNs(type == TcpEventType.CONNECT ? Distributions.logNormal(random, profile.tcpConnectMedianNs(), profile.sigma()) : 0);
        tcp.setBytesSent(type == TcpEventType.CLOSE ? random.nextInt(1 << 20) : 0);
        tcp.setBytesReceived(type == TcpEventType.CLOSE ? random.nextInt(1 << 20) : 0);
        return tcp;
      }
      case EXEC -> {
        exec.setFilename("/usr/bin/" + p.comm());
        return exec;
      }
      case EXIT -> {
        long life = Distributions.exponential(random, profile.processLifetimeMeanNs());
        exit.setLifetimeNs(life);
        exit.setStartTimeNs(timeNs - life);
        return exit;
      }
      case PROFILE -> {
        sample.setIntervalStartNs(timeNs - 1_000_000L);
        sample.setIntervalEndNs(timeNs + 1);
        sample.setCount(1 + random.nextInt(20));
        sample.setFolded(p.comm() + ";" + stacks[stackRank.next(random)]);
        return sample;
      }
      default -> throw new IllegalArgumentException("the generator makes no " + topic + " events");
    }
  }

  /** The records a collector sends once per interval: kernel histograms and its health report. */
  public List<SpecificRecord> interval(long startNs, long endNs) {
    List<SpecificRecord> out = new ArrayList<>();
    for (int c = -1; c < containers.length; c++) {
      out.add(RunqLatencyHistogram.newBuilder().setHostId(hostId).setHostname(hostname)
          .setIntervalStartNs(startNs).setIntervalEndNs(endNs)
          .setPidNs(c < 0 ? ROOT_PID_NS : containerPidNs[c]).setCgroupId(c + 2L)
          .setContainerId(c < 0 ? null : containers[c])
          .setHistogram(histogram(profile.runqMedianNs())).build());
    }
    for (int d = 0; d < devices.length; d++) {
      for (BlockStage stage : BlockStage.values()) {
        out.add(BlockLatencyHistogram.newBuilder().setHostId(hostId).setHostname(hostname)
            .setIntervalStartNs(startNs).setIntervalEndNs(endNs).setDevice(new BlockDevice(259, d, devices[d]))
            .setOp(BlockOp.READ).setStage(stage)
            .setHistogram(histogram(stage == BlockStage.SERVICE ? profile.blockServiceMedianNs() : profile.blockQueueMedianNs()))
            .build());
      }
    }
    lostKernel += profile.lostPerInterval();
    out.add(CollectorHealth.newBuilder().setHostId(hostId).setHostname(hostname).setTimeNs(endNs - 1)
        .setIntervalNs(endNs - startNs).setStartedNs(startedNs).setVersion("fleet-generator").setKernelRelease("6.18")
        .setProbes(List.of(ProbeHealth.newBuilder().setProbe("all").setAttached(true).setAttempted(delivered + lostKernel)
            .setDelivered(delivered).setLostKernel(lostKernel).setLostUser(0).setParseErrors(0).setProduced(delivered).build()))
        .build());
    return out;
  }

  private Log2Histogram histogram(double median) {
    long[] b = new long[Log2Buckets.COUNT];
    long sum = 0;
    int n = profile.histogramSamples();
    for (int i = 0; i < n; i++) {
      long v = Distributions.logNormal(random, median, profile.sigma());
      b[Log2Buckets.index(v)]++;
      sum += v;
    }
    List<Long> buckets = new ArrayList<>(Log2Buckets.COUNT);
    for (long c : b) {
      buckets.add(c);
    }
    return Log2Histogram.newBuilder().setBuckets(buckets).setCount(n).setSumNs(sum).build();
  }
}

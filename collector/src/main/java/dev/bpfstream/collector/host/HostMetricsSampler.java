package dev.bpfstream.collector.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.bpfstream.collector.bpf.BpfException;
import dev.bpfstream.collector.bpf.KernelLogDevice;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.event.CpuUtilization;
import dev.bpfstream.event.DiskStats;
import dev.bpfstream.event.HostMetrics;
import dev.bpfstream.event.KernelLogLine;
import dev.bpfstream.event.NetStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's USE metrics from /proc and /sys (Brendan Gregg's 60-second analysis: uptime, vmstat,
 * mpstat, iostat -x, sar -n DEV,TCP,ETCP, dmesg) as one HostMetrics per call: utilization and rates
 * over the time since the previous call, gauges as of now, kernel error lines logged since.
 * Not a BPF probe: a collector companion on its own timer. One thread.
 */
public final class HostMetricsSampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HostMetricsSampler.class);
  static final int KERNEL_LINES_KEPT = 50;
  static final int MESSAGE_MAX = 1024;

  private final HostIdentity host;
  private final Path proc;
  private final Path sysBlock;
  private final KernelLogDevice kernelLog;
  private Snapshot last;
  private long lastSeq = -1;
  private long kernelLogLost;
  private long samples;

  private record Snapshot(long nanos, ProcStat stat, BlockDeviceCounters disks, InterfaceCounters nets,
                          TcpCounters tcp, MemoryCounters memory) {
  }

  HostMetricsSampler(HostIdentity host, Path proc, Path sys, KernelLogDevice kernelLog) {
    this.host = host;
    this.proc = proc;
    this.sysBlock = sys.resolve("block");
    this.kernelLog = kernelLog;
    this.last = read();
  }

  /** The sampler of this host; without /dev/kmsg access it samples everything else and says so once. */
  public static HostMetricsSampler forHost(HostIdentity host) {
    KernelLogDevice kmsg = null;
    try {
      kmsg = KernelLogDevice.open();
    } catch (BpfException e) {
      log.warn("host metrics without kernel log lines: {}", e.getMessage());
    }
    return new HostMetricsSampler(host, Path.of("/proc"), Path.of("/sys"), kmsg);
  }

  /** Metrics of the interval since the previous call (or since construction). */
  public synchronized HostMetrics sample() {
    Snapshot now = read();
    double seconds = Math.max(1e-3, (now.nanos - last.nanos) / 1e9);
    HostMetrics.Builder m = HostMetrics.newBuilder()
        .setHostId(host.hostId())
        .setHostname(host.hostname())
        .setTimeNs(System.currentTimeMillis() * 1_000_000L)
        .setIntervalNs(now.nanos - last.nanos)
        .setCpuCount(now.stat.cpuCount())
        .setRunnable(now.stat.procsRunning())
        .setBlocked(now.stat.procsBlocked());
    double[] load = loadAverages();
    m.setLoad1(load[0]).setLoad5(load[1]).setLoad15(load[2]);
    m.setCpus(cpus(last.stat, now.stat));

    MemoryCounters mem = now.memory;
    m.setMemTotalBytes(mem.totalBytes()).setMemFreeBytes(mem.freeBytes()).setMemAvailableBytes(mem.availableBytes())
        .setSwapTotalBytes(mem.swapTotalBytes()).setSwapFreeBytes(mem.swapFreeBytes())
        .setSwapInPagesPerSec((mem.swapInPages() - last.memory.swapInPages()) / seconds)
        .setSwapOutPagesPerSec((mem.swapOutPages() - last.memory.swapOutPages()) / seconds);
    m.setDisks(disks(last.disks, now.disks, seconds));
    m.setNets(nets(last.nets, now.nets, seconds));
    TcpCounters a = last.tcp;
    TcpCounters b = now.tcp;
    m.setTcpActiveOpensPerSec((b.activeOpens() - a.activeOpens()) / seconds)
        .setTcpPassiveOpensPerSec((b.passiveOpens() - a.passiveOpens()) / seconds)
        .setTcpRetransSegsPerSec((b.retransSegs() - a.retransSegs()) / seconds)
        .setTcpInErrsPerSec((b.inErrs() - a.inErrs()) / seconds)
        .setTcpOutRstsPerSec((b.outRsts() - a.outRsts()) / seconds);
    kernelLines(m);
    last = now;
    samples++;
    return m.build();
  }

  private static List<CpuUtilization> cpus(ProcStat before, ProcStat now) {
    List<CpuUtilization> out = new ArrayList<>();
    for (Map.Entry<Integer, long[]> e : now.cpuTicks().entrySet()) {
      long[] was = before.cpuTicks().get(e.getKey());
      if (was == null) {
        continue; // came online during the interval
      }
      double[] d = new double[ProcStat.FIELDS];
      double total = 0;
      for (int i = 0; i < d.length; i++) {
        d[i] = Math.max(0, e.getValue()[i] - was[i]);
        total += d[i];
      }
      double pct = total == 0 ? 0 : 100.0 / total;
      out.add(new CpuUtilization(e.getKey(), d[0] * pct, d[1] * pct, d[2] * pct, d[3] * pct, d[4] * pct,
          d[5] * pct, d[6] * pct, d[7] * pct));
    }
    return out;
  }

  /** iostat -x: await over reads, writes and discards; aqu-sz from the weighted time; %util from io time. */
  private static List<DiskStats> disks(BlockDeviceCounters before, BlockDeviceCounters now, double seconds) {
    List<DiskStats> out = new ArrayList<>();
    double ms = seconds * 1000;
    for (Map.Entry<String, BlockDeviceCounters.Device> e : now.devices().entrySet()) {
      BlockDeviceCounters.Device a = before.devices().get(e.getKey());
      BlockDeviceCounters.Device b = e.getValue();
      if (a == null) {
        continue;
      }
      long ios = b.ios() - a.ios();
      long ioMs = (b.readMs() - a.readMs()) + (b.writeMs() - a.writeMs()) + (b.discardMs() - a.discardMs());
      out.add(new DiskStats(e.getKey(), (b.reads() - a.reads()) / seconds, (b.writes() - a.writes()) / seconds,
          (b.readSectors() - a.readSectors()) * 512.0 / seconds, (b.writeSectors() - a.writeSectors()) * 512.0 / seconds,
          ios > 0 ? (double) ioMs / ios : 0, (b.weightedMs() - a.weightedMs()) / ms,
          Math.min(100.0, (b.ioMs() - a.ioMs()) * 100.0 / ms)));
    }
    return out;
  }

  private static List<NetStats> nets(InterfaceCounters before, InterfaceCounters now, double seconds) {
    List<NetStats> out = new ArrayList<>();
    for (Map.Entry<String, InterfaceCounters.Interface> e : now.interfaces().entrySet()) {
      InterfaceCounters.Interface a = before.interfaces().get(e.getKey());
      InterfaceCounters.Interface b = e.getValue();
      if (a == null) {
        continue;
      }
      out.add(new NetStats(e.getKey(), (b.rxPackets() - a.rxPackets()) / seconds, (b.txPackets() - a.txPackets()) / seconds,
          (b.rxBytes() - a.rxBytes()) / seconds, (b.txBytes() - a.txBytes()) / seconds,
          b.rxErrors() - a.rxErrors(), b.txErrors() - a.txErrors(), b.rxDrops() - a.rxDrops(), b.txDrops() - a.txDrops()));
    }
    return out;
  }

  private void kernelLines(HostMetrics.Builder m) {
    List<KernelLogLine> kept = new ArrayList<>();
    long[] counts = new long[2]; // oom kills, dropped
    long lostBefore = kernelLogLost;
    if (kernelLog != null) {
      kernelLog.drain(record -> {
        KernelLogClassifier.Line l = KernelLogClassifier.parse(record);
        if (l == null) {
          return;
        }
        if (lastSeq >= 0 && l.seq() > lastSeq + 1) {
          kernelLogLost += l.seq() - lastSeq - 1;
        }
        lastSeq = l.seq();
        if (l.kind() == null) {
          return;
        }
        if (l.kind().equals(KernelLogClassifier.OOM_KILL)) {
          counts[0]++;
        }
        if (kept.size() < KERNEL_LINES_KEPT) {
          String msg = l.message().length() > MESSAGE_MAX ? l.message().substring(0, MESSAGE_MAX) : l.message();
          kept.add(new KernelLogLine(l.kind(), l.level(), msg));
        } else {
          counts[1]++;
        }
      });
    }
    m.setKernelErrors(kept).setOomKills(counts[0]).setKernelErrorsDropped(counts[1])
        .setKernelLogLost(kernelLogLost - lostBefore);
  }

  private double[] loadAverages() {
    String[] f = readString(proc.resolve("loadavg")).trim().split("\\s+");
    return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
  }

  private Snapshot read() {
    return new Snapshot(System.nanoTime(),
        ProcStat.parse(readString(proc.resolve("stat"))),
        BlockDeviceCounters.parse(readString(proc.resolve("diskstats")), wholeDisks()),
        InterfaceCounters.parse(readString(proc.resolve("net/dev"))),
        TcpCounters.parse(readString(proc.resolve("net/snmp"))),
        MemoryCounters.parse(readString(proc.resolve("meminfo")), readString(proc.resolve("vmstat"))));
  }

  private Set<String> wholeDisks() {
    Set<String> names = new HashSet<>();
    try (Stream<Path> s = Files.list(sysBlock)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean kernelLogReadable() {
    return kernelLog != null;
  }

  public synchronized long samples() {
    return samples;
  }

  @Override
  public synchronized void close() {
    if (kernelLog != null) {
      kernelLog.close();
    }
  }
}

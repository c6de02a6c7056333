package dev.bpfstream.collector.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.event.CpuUtilization;
import dev.bpfstream.event.DiskStats;
import dev.bpfstream.event.HostMetrics;
import dev.bpfstream.event.NetStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostMetricsSamplerTest {
  static final int CONNECTIONS = 20;
  static final int BYTES_PER_CONNECTION = 1 << 20;
  static final int DISK_BYTES = 64 << 20;

  @Test
  void kernelLogRecordsAreSortedIntoKinds() {
    assertThat(KernelLogClassifier.parse("3,1201,5371,-;Out of memory: Killed process 4242 (java) total-vm:1000kB").kind())
        .isEqualTo(KernelLogClassifier.OOM_KILL);
    assertThat(KernelLogClassifier.parse("3,1202,5371,-;Memory cgroup out of memory: Killed process 77 (x)").kind())
        .isEqualTo(KernelLogClassifier.OOM_KILL);
    assertThat(KernelLogClassifier.parse("3,9,1,-;INFO: task kworker/0:1:42 blocked for more than 120 seconds.").kind())
        .isEqualTo(KernelLogClassifier.HUNG_TASK);
    assertThat(KernelLogClassifier.parse("3,9,1,-;I/O error, dev vda, sector 2048 op 0x1:(WRITE) flags 0x0").kind())
        .isEqualTo(KernelLogClassifier.IO_ERROR);
    KernelLogClassifier.Line segv = KernelLogClassifier.parse("6,9,1,-;a.out[12]: segfault at 0 ip 000055 sp 00007ff error 6\n SUBSYSTEM=x");
    assertThat(segv.kind()).isEqualTo(KernelLogClassifier.SEGFAULT);
    assertThat(segv.level()).isEqualTo(6);
    assertThat(segv.message()).doesNotContain("SUBSYSTEM");
    assertThat(KernelLogClassifier.parse("4,9,1,-;some warning").kind()).isNull();
    assertThat(KernelLogClassifier.parse("11,9,1,-;user-facility error").kind()).isEqualTo(KernelLogClassifier.OTHER);
    assertThat(KernelLogClassifier.parse("garbage")).isNull();
  }

  @Test
  void valuesFollowTheCpuDiskAndLoopbackLoadTheTestMakes(@TempDir Path dir) throws Exception {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    String marker = "bpfstream HostMetricsSamplerTest " + UUID.randomUUID() + ": test line, please ignore";
    int cpus = Runtime.getRuntime().availableProcessors();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> spinners = new ArrayList<>();
    try (HostMetricsSampler sampler = HostMetricsSampler.forHost(new HostIdentity("host-1", "h1"))) {
      assertThat(sampler.kernelLogReadable()).isTrue();
      Thread.sleep(200);
      sampler.sample(); // the measured interval starts here
      for (int i = 0; i < 2 * cpus; i++) {
        Thread t = new Thread(() -> {
          long x = 0;
          while (!stop.get()) {
            x++;
          }
        }, "spin-" + i);
        t.start();
        spinners.add(t);
      }
      loopbackTransfers();
      writeAndSync(dir.resolve("data"));
      Files.writeString(Path.of("/dev/kmsg"), "<3>" + marker + "\n");
      Thread.sleep(300);
      HostMetrics m = sampler.sample(); // while the spinners still run: runnable counts them
      stop.set(true);
      double seconds = m.getIntervalNs() / 1e9;

      CpuUtilization all = m.getCpus().stream().filter(c -> c.getCpu() == -1).findFirst().orElseThrow();
      assertThat(m.getCpus()).hasSize(cpus + 1);
      assertThat(all.getUser() + all.getNice() + all.getSystem() + all.getSoftirq() + all.getIrq() + all.getSteal()).isGreaterThan(60);
      assertThat(all.getIdle()).isLessThan(35);
      assertThat(m.getRunnable()).isGreaterThanOrEqualTo(cpus);
      assertThat(m.getCpuCount()).isEqualTo(cpus);

      double written = m.getDisks().stream().mapToDouble(DiskStats::getWriteBytesPerSec).sum() * seconds;
      assertThat(written).as("bytes written to disks").isGreaterThan(DISK_BYTES * 0.9);
      assertThat(m.getDisks()).anyMatch(d -> d.getWritesPerSec() > 0 && d.getUtilPercent() > 0 && d.getAwaitMs() > 0);

      NetStats lo = m.getNets().stream().filter(n -> n.getName().equals("lo")).findFirst().orElseThrow();
      assertThat(lo.getRxBytesPerSec() * seconds).isGreaterThan(CONNECTIONS * (double) BYTES_PER_CONNECTION);
      assertThat(lo.getTxPacketsPerSec()).isPositive();
      assertThat(m.getTcpActiveOpensPerSec() * seconds).isGreaterThan(CONNECTIONS - 0.5);
      assertThat(m.getTcpPassiveOpensPerSec() * seconds).isGreaterThan(CONNECTIONS - 0.5);

      assertThat(m.getKernelErrors()).anyMatch(l -> l.getMessage().equals(marker)
          && l.getKind().equals(KernelLogClassifier.OTHER) && l.getLevel() == 3);
      assertThat(m.getMemTotalBytes()).isGreaterThanOrEqualTo(m.getMemAvailableBytes());
      assertThat(m.getMemAvailableBytes()).isPositive();
      assertThat(m.getLoad1()).isNotNegative();
    } finally {
      stop.set(true);
      for (Thread t : spinners) {
        t.join();
      }
    }
  }

  private static void loopbackTransfers() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        byte[] buf = new byte[64 << 10];
        for (int i = 0; i < CONNECTIONS; i++) {
          try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            while (in.read(buf) >= 0) {
              // drain
            }
          } catch (Exception e) {
            return;
          }
        }
      });
      acceptor.start();
      byte[] chunk = new byte[64 << 10];
      for (int i = 0; i < CONNECTIONS; i++) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()); OutputStream out = s.getOutputStream()) {
          for (int sent = 0; sent < BYTES_PER_CONNECTION; sent += chunk.length) {
            out.write(chunk);
          }
        }
      }
      acceptor.join(10_000);
    }
  }

  private static void writeAndSync(Path file) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1 << 20);
      for (int i = 0; i < DISK_BYTES; i += b.capacity()) {
        b.clear();
        b.putLong(0, i); // distinct blocks
        ch.write(b);
      }
      ch.force(true);
    }
  }
}

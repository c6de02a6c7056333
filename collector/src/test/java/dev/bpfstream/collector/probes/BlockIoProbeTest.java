package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.testing.BlockDevices;
import dev.bpfstream.collector.testing.Ext4Dir;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.event.BlockIo;
import dev.bpfstream.event.BlockOp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** biosnoop against real block I/O: direct writes to a file on the host's disk. */
class BlockIoProbeTest {
  @RegisterExtension
  final Ext4Dir ext4 = new Ext4Dir("biosnoop");

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf();
  }

  @Test
  void directWritesToAFileOnTheDiskArriveWithTheirBytesServiceTimeAndDevice() throws Exception {
    Path dir = ext4.path();
    Path file = dir.resolve("direct.dat");
    BlockDevices disk = BlockDevices.diskOf(dir);
    try (RunningProbe probe = RunningProbe.start(new BlockIoProbe())) {
      Process dd = run("dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=4", "oflag=direct");
      long pid = dd.pid();
      probe.sink().await(BlockIo.class, e -> e.getCtx().getPid() == pid && e.getOp() == BlockOp.WRITE
          && bytesOf(probe, pid) >= 4 << 20, Duration.ofSeconds(30));
      List<BlockIo> writes = writesOf(probe, pid);
      assertThat(writes.stream().mapToLong(BlockIo::getBytes).sum()).isEqualTo(4 << 20);
      assertThat(writes).allSatisfy(w -> {
        assertThat(w.getServiceNs()).isPositive();
        assertThat(w.getDevice().getMajor()).isEqualTo(disk.major());
        assertThat(w.getDevice().getMinor()).isEqualTo(disk.minor());
        assertThat(w.getDevice().getName()).isEqualTo(disk.name());
        assertThat(w.getRwbs()).startsWith("W");
        assertThat(w.getTaskKnown()).isTrue();
        assertThat(w.getCtx().getComm()).isEqualTo("dd");
        assertThat(w.getError()).isZero();
      });
      assertThat(writes).extracting(BlockIo::getSector).doesNotHaveDuplicates();
    }
  }

  static Process run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
    return p;
  }

  static List<BlockIo> writesOf(RunningProbe probe, long pid) {
    return probe.sink().all(BlockIo.class).stream().filter(e -> e.getCtx().getPid() == pid && e.getOp() == BlockOp.WRITE).toList();
  }

  static long bytesOf(RunningProbe probe, long pid) {
    return writesOf(probe, pid).stream().mapToLong(BlockIo::getBytes).sum();
  }
}

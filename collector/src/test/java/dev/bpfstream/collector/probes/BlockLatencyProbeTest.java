package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.testing.BlockDevices;
import dev.bpfstream.collector.testing.Ext4Dir;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.event.BlockIo;
import dev.bpfstream.event.BlockLatencyHistogram;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.event.BlockStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** biolatency against real block I/O on a loop device only this test uses, checked against what biosnoop saw. */
class BlockLatencyProbeTest {
  @RegisterExtension
  final Ext4Dir ext4 = new Ext4Dir("biolatency");

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf();
  }

  @Test
  void histogramCountsMatchTheWritesBiosnoopSawOnALoopDeviceOnlyThisTestUses() throws Exception {
    Prerequisites.requireCommand("losetup", "mount");
    Path dir = ext4.path();
    Path backing = dir.resolve("loop.img");
    BlockIoProbeTest.run("dd", "if=/dev/zero", "of=" + backing, "bs=1M", "count=16");
    Process attach = new ProcessBuilder("/sbin/losetup", "--find", "--show", backing.toString()).redirectErrorStream(true).start();
    String loop = new String(attach.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(attach.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(attach.exitValue()).as(loop).isZero();
    try {
      BlockDevices device = BlockDevices.ofDevice(Path.of(loop));
      try (RunningProbe snoop = RunningProbe.start(new BlockIoProbe());
           RunningProbe latency = RunningProbe.start(new BlockLatencyProbe())) {
        latency.drain(); // start from a clean interval
        Process dd = BlockIoProbeTest.run("dd", "if=/dev/zero", "of=" + loop, "bs=64K", "count=32", "oflag=direct");
        snoop.sink().await(BlockIo.class, e -> BlockIoProbeTest.bytesOf(snoop, dd.pid()) >= 2 << 20, Duration.ofSeconds(30));
        latency.drain();

        List<BlockIo> writes = BlockIoProbeTest.writesOf(snoop, dd.pid());
        assertThat(writes).hasSize(32).allSatisfy(w -> {
          assertThat(w.getBytes()).isEqualTo(64 << 10);
          assertThat(w.getDevice().getMajor()).isEqualTo(device.major());
          assertThat(w.getDevice().getMinor()).isEqualTo(device.minor());
        });
        BlockLatencyHistogram h = latency.sink().await(BlockLatencyHistogram.class,
            r -> r.getDevice().getMajor() == device.major() && r.getDevice().getMinor() == device.minor()
                && r.getOp() == BlockOp.WRITE && r.getStage() == BlockStage.SERVICE, Duration.ofSeconds(5));
        assertThat(h.getDevice().getName()).isEqualTo(device.name());
        assertThat(h.getHistogram().getCount()).isEqualTo(32);
        assertThat(h.getHistogram().getBuckets()).hasSize(64);
        assertThat(h.getHistogram().getBuckets().stream().mapToLong(Long::longValue).sum()).isEqualTo(32);
        long serviceSum = writes.stream().mapToLong(BlockIo::getServiceNs).sum();
        assertThat(h.getHistogram().getSumNs()).isPositive().isBetween(serviceSum / 2, serviceSum * 2);
        assertThat(h.getIntervalEndNs()).isGreaterThan(h.getIntervalStartNs());
        // The same interval never reports a write twice: a second drain with no I/O sends nothing for the device.
        int before = latency.sink().all(BlockLatencyHistogram.class).size();
        latency.drain();
        assertThat(latency.sink().all(BlockLatencyHistogram.class).subList(before, latency.sink().all(BlockLatencyHistogram.class).size()))
            .noneMatch(r -> r.getDevice().getMajor() == device.major() && r.getDevice().getMinor() == device.minor());
      }
    } finally {
      new ProcessBuilder("/sbin/losetup", "--detach", loop).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }
  }

}

package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.testing.Ext4Dir;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.event.FileOp;
import dev.bpfstream.event.FileOpSlow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FileSlowProbeTest {
  @RegisterExtension
  final Ext4Dir ext4 = new Ext4Dir("fileslow");

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf();
  }

  @Test
  void anFsyncOfAWrittenFileOnExt4AboveAThresholdOfZeroShowsExt4AndItsLatency() throws Exception {
    Path dir = ext4.path();
    Path file = dir.resolve("synced.dat");
    ProbeOptions options = ProbeOptions.none()
        .with(new FileSlowProbe(), "min-latency", "0").with(new FileSlowProbe(), "fs-types", "ext4");
    try (RunningProbe probe = RunningProbe.start(new FileSlowProbe(), options)) {
      Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=64K", "count=4", "conv=fsync")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(dd.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(dd.exitValue()).isZero();
      long pid = dd.pid();

      FileOpSlow fsync = probe.sink().await(FileOpSlow.class, e -> e.getCtx().getPid() == pid && e.getOp() == FileOp.FSYNC,
          Duration.ofSeconds(10));
      assertThat(fsync.getFsType()).isEqualTo("ext4");
      assertThat(fsync.getLatencyNs()).isPositive();
      assertThat(fsync.getPath()).isEqualTo(file.toString());
      assertThat(fsync.getRetval()).isZero();
      assertThat(fsync.getBytes()).isZero();
      assertThat(fsync.getCtx().getComm()).isEqualTo("dd");

      List<FileOpSlow> writes = probe.sink().all(FileOpSlow.class).stream()
          .filter(e -> e.getCtx().getPid() == pid && e.getOp() == FileOp.WRITE && e.getPath().equals(file.toString())).toList();
      assertThat(writes).hasSize(4).allSatisfy(w -> {
        assertThat(w.getBytes()).isEqualTo(65536);
        assertThat(w.getFsType()).isEqualTo("ext4");
        assertThat(w.getFd()).isEqualTo(fsync.getFd());
      });
      assertThat(writes).extracting(FileOpSlow::getOffset).containsExactly(0L, 65536L, 131072L, 196608L);
      // The fs filter holds kernel-side: dd's reads of /dev/zero (devtmpfs, not a regular file anyway) and
      // anything on other filesystems never arrive.
      assertThat(probe.sink().all(FileOpSlow.class)).allMatch(e -> e.getFsType().equals("ext4"));
    }
  }
}

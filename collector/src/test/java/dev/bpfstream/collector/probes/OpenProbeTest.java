package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.event.FileOpen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenProbeTest {
  private static final int ENOENT = 2;
  private static final int O_CLOEXEC = 0x80000;

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf();
  }

  @Test
  void anExistingAndAMissingFileGiveTwoOpensTheSecondWithEnoentPathsBoundedAndRedacted(@TempDir Path dir) throws Exception {
    Path existing = Files.writeString(dir.resolve("token=s3cret"), "x");
    Path missing = dir.resolve("missing");
    String tooLong = dir.resolve("d".repeat(200)).toString();
    ProbeOptions options = ProbeOptions.none().with(new OpenProbe(), "path-max", "128");
    try (RunningProbe probe = RunningProbe.start(new OpenProbe(), options)) {
      Process cat = new ProcessBuilder("/bin/cat", existing.toString(), missing.toString(), tooLong)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(cat.waitFor(10, TimeUnit.SECONDS)).isTrue();
      long pid = cat.pid();

      FileOpen found = probe.sink().await(FileOpen.class, e -> e.getCtx().getPid() == pid && e.getPath().startsWith(dir.toString())
          && e.getPath().endsWith("token=***"), Duration.ofSeconds(10));
      assertThat(found.getErrno()).isZero();
      assertThat(found.getFd()).isGreaterThanOrEqualTo(0);
      assertThat(found.getSyscall()).isEqualTo("openat");
      assertThat(found.getFlags() & ~O_CLOEXEC).isZero(); // O_RDONLY
      assertThat(found.getPathTruncated()).isFalse();
      assertThat(found.getCtx().getComm()).isEqualTo("cat");

      FileOpen notFound = probe.sink().await(FileOpen.class, e -> e.getCtx().getPid() == pid
          && e.getPath().equals(missing.toString()), Duration.ofSeconds(10));
      assertThat(notFound.getErrno()).isEqualTo(ENOENT);
      assertThat(notFound.getFd()).isEqualTo(-1);
      assertThat(notFound.getCtx().getSeq()).isGreaterThan(found.getCtx().getSeq());

      FileOpen bounded = probe.sink().await(FileOpen.class, e -> e.getCtx().getPid() == pid && e.getPathTruncated(), Duration.ofSeconds(10));
      assertThat(bounded.getPath()).hasSize(127).isEqualTo(tooLong.substring(0, 127));
      assertThat(bounded.getErrno()).isEqualTo(ENOENT);

      List<FileOpen> ofTestFiles = probe.sink().all(FileOpen.class).stream()
          .filter(e -> e.getCtx().getPid() == pid && e.getPath().startsWith(dir.toString())).toList();
      assertThat(ofTestFiles).hasSize(3);
    }
  }
}

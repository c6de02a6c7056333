package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.event.ProcessExec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExecProbeTest {

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf();
  }

  @Test
  void anExecOfBinTrueArrivesWithItsArgvAndTaskContext() throws Exception {
    try (RunningProbe probe = RunningProbe.start(new ExecProbe())) {
      Process p = new ProcessBuilder("/bin/true", "hello", "--password=hunter2").start();
      p.waitFor();
      ProcessExec e = probe.sink().await(ProcessExec.class, r -> r.getCtx().getPid() == p.pid() && r.getFilename().equals("/bin/true"), Duration.ofSeconds(10));
      assertThat(e.getFilename()).isEqualTo("/bin/true");
      assertThat(e.getArgv()).containsExactly("/bin/true", "hello", "--password=***");
      assertThat(e.getCtx().getComm()).isEqualTo("true");
      assertThat(e.getCtx().getHostId()).isEqualTo("host-1");
      assertThat(e.getCtx().getNs().getPid()).isEqualTo(inode("/proc/self/ns/pid"));
      assertThat(e.getCtx().getNs().getMnt()).isEqualTo(inode("/proc/self/ns/mnt"));
      assertThat(Math.abs(e.getCtx().getTimeNs() - System.currentTimeMillis() * 1_000_000L)).isLessThan(60_000_000_000L);
      assertThat(probe.loaded().kernelStats().attempted()).isGreaterThanOrEqualTo(1);
    }
  }

  static long inode(String nsLink) throws Exception {
    String l = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of(nsLink)).toString();
    return Long.parseLong(l.substring(l.indexOf('[') + 1, l.length() - 1));
  }
}

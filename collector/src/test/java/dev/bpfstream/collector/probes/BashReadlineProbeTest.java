package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.RecordingSink;
import dev.bpfstream.collector.testing.ChildProcesses;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.event.ShellCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interactive bash on a pty made by script(1), fed through its stdin. */
class BashReadlineProbeTest {

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf(Prerequisites.commandMissing("script", "bsdutils"));
  }

  @Test
  void commandsOfHostAndContainerBashArriveRedacted(@TempDir Path dir) throws Exception {
    BashReadlineProbe probe = new BashReadlineProbe();
    Path hidden = Files.createDirectory(dir.resolve("hidden"));
    try (ChildProcesses children = new ChildProcesses(); RunningProbe running = RunningProbe.start(probe)) {
      RecordingSink sink = running.sink();
      String hostMarker = "bpfstream-" + UUID.randomUUID();
      Process host = children.start("script", "-qc", "bash --norc --noprofile -i", "/dev/null");
      type(host, "echo " + hostMarker + " --password hunter2\nexit\n");
      ShellCommand h = sink.await(ShellCommand.class, c -> c.getCommand().contains(hostMarker), Duration.ofSeconds(10));
      assertThat(h.getCommand()).isEqualTo("echo " + hostMarker + " --password ***");
      assertThat(h.getRedacted()).isTrue();
      assertThat(h.getTruncated()).isFalse();
      assertThat(h.getShell()).isEqualTo("/bin/bash"); // as configured
      assertThat(h.getCtx().getComm()).isEqualTo("bash");

      // A bash binary only its own mount namespace can see, started after the probe: found by the
      // interval's scan and traced through /proc/PID/root.
      Process container = children.start("unshare", "--mount", "--propagation", "private", "sh", "-c",
          "mount -t tmpfs none " + hidden + " && cp /bin/bash " + hidden + "/bash && exec script -qc '"
              + hidden + "/bash --norc --noprofile -i' /dev/null");
      long bashPid = ChildProcesses.await(container, "bash").pid();
      // script may run the command through a host shell named bash first: wait for the exec of the hidden one.
      awaitExecOf(bashPid, hidden + "/bash");
      running.drain();
      assertThat(probe.attachedBinaries()).anyMatch(b -> b.startsWith("/proc/" + bashPid + "/root/"));
      String containerMarker = "bpfstream-" + UUID.randomUUID();
      // The line being read while the probe attached returns unseen: send one before the marker.
      type(container, "true\necho " + containerMarker + "\nexit\n");
      ShellCommand c = sink.await(ShellCommand.class, s -> s.getCommand().contains(containerMarker), Duration.ofSeconds(10));
      assertThat(c.getCommand()).isEqualTo("echo " + containerMarker);
      assertThat(c.getRedacted()).isFalse();
      assertThat(c.getShell()).isEqualTo(hidden + "/bash");
      assertThat(c.getCtx().getPid()).isEqualTo(bashPid);
      assertThat(c.getCtx().getNs().getMnt()).isNotEqualTo(ChildProcesses.nsInode(ProcessHandle.current().pid(), "mnt"));
      assertThat(running.loaded().kernelStats().lost()).isZero();
    }
  }

  private static void awaitExecOf(long pid, String program) throws Exception {
    Path cmdline = Path.of("/proc/" + pid + "/cmdline");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).startsWith(program)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("pid " + pid + " did not exec " + program + " within 10 s");
      }
      Thread.sleep(10);
    }
  }

  private static void type(Process p, String input) throws Exception {
    OutputStream in = p.getOutputStream();
    in.write(input.getBytes(StandardCharsets.UTF_8));
    in.flush();
  }
}

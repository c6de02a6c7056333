package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import dev.bpfstream.collector.RecordingSink;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.testing.CProgram;
import dev.bpfstream.collector.testing.ChildProcesses;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.event.ProfileSample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileProbeTest {
  static final String BUSY = """
      #include <fcntl.h>
      #include <string.h>
      #include <unistd.h>
      static char buf[1 << 20];
      __attribute__((noinline)) void bpfstream_busy_spin(void) {
        volatile unsigned long x = 0;
        for (;;) x++;
      }
      __attribute__((noinline)) void bpfstream_zero_reader(void) {
        int fd = open("/dev/zero", O_RDONLY);
        for (;;) read(fd, buf, sizeof buf);
      }
      int main(int argc, char **argv) {
        if (argc > 1 && strcmp(argv[1], "kernel") == 0) bpfstream_zero_reader();
        bpfstream_busy_spin();
        return 0;
      }
      """;

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf(CProgram.missingCompiler());
  }

  @Test
  void aBusyFunctionInAnotherMountNamespaceAndAKernelReadLoopAreNamed(@TempDir Path dir) throws Exception {
    Path busy = CProgram.compile(dir, "busy", BUSY);
    // The user-side loop runs from a tmpfs mounted only in its own mount namespace: the host path
    // is empty, so its symbols resolve only through /proc/PID/root.
    Path hidden = Files.createDirectory(dir.resolve("hidden"));
    ProfileProbe probe = new ProfileProbe();
    try (ChildProcesses children = new ChildProcesses();
         RunningProbe running = RunningProbe.start(probe, ProbeOptions.none().with(probe, "hz", "499"))) {
      RecordingSink sink = running.sink();
      Process userLoop = children.start("unshare", "--mount", "--propagation", "private", "sh", "-c",
          "mount -t tmpfs none " + hidden + " && cp " + busy + " " + hidden + "/busy && exec " + hidden + "/busy");
      Process kernelLoop = children.start(busy.toString(), "kernel");
      long userPid = ChildProcesses.await(userLoop, "busy").pid();
      assertThat(Files.exists(hidden.resolve("busy"))).as("binary hidden from the host").isFalse();

      running.drain(); // starts a clean interval
      Thread.sleep(1500);
      running.drain();

      List<ProfileSample> user = top(sink, userPid);
      assertThat(user).as("samples of the user loop").isNotEmpty();
      ProfileSample u = user.get(0);
      assertThat(u.getUserFrames().get(0)).isEqualTo("bpfstream_busy_spin");
      assertThat(u.getFolded()).startsWith("busy;").contains("main;bpfstream_busy_spin");
      assertThat(u.getCtx().getNs().getMnt()).isEqualTo(ChildProcesses.nsInode(userPid, "mnt"))
          .isNotEqualTo(ChildProcesses.nsInode(ProcessHandle.current().pid(), "mnt"));
      assertThat(u.getFrequencyHz()).isEqualTo(499);

      List<ProfileSample> kernel = top(sink, kernelLoop.pid());
      assertThat(kernel).as("samples of the kernel loop").isNotEmpty();
      ProfileSample k = kernel.stream().filter(s -> !s.getKernelFrames().isEmpty()).findFirst().orElseThrow();
      assertThat(k.getKernelFrames()).noneMatch(f -> f.startsWith("0x"));
      assertThat(k.getKernelFrames()).anyMatch(f -> f.contains("read"));
      // libc's read() sets up no frame of its own, so a frame-pointer walk goes from it to main.
      assertThat(k.getUserFrames()).contains("read", "main");
      assertThat(k.getFolded()).startsWith("busy;").endsWith(";read;" + String.join(";", reversed(k.getKernelFrames())));

      long samples = sink.all(ProfileSample.class).stream().mapToLong(ProfileSample::getCount).sum();
      assertThat(samples).isPositive();
      assertThat(running.loaded().kernelStats().lost()).isZero();
    }
  }

  private static List<ProfileSample> top(RecordingSink sink, long pid) {
    return sink.all(ProfileSample.class).stream().filter(s -> s.getCtx().getPid() == pid)
        .sorted(Comparator.comparingLong(ProfileSample::getCount).reversed()).toList();
  }

  private static List<String> reversed(List<String> frames) {
    List<String> r = new java.util.ArrayList<>(frames);
    java.util.Collections.reverse(r);
    return r;
  }
}

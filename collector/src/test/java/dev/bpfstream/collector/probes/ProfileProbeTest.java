package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

  /**
   * A JVM started with no attach flags, in a pid and mount namespace of its own with a /tmp the
   * host cannot see (as in a container), spins in a method only this test names: the collector
   * starts its attach listener as jcmd does and asks it for its perf map, and the method is named
   * in its samples. A JVM that SIGQUIT would make print a thread dump (-XX:+DisableAttachMechanism)
   * is left alone and keeps its JIT addresses; one that SIGQUIT would end (-Xrs) listens from its
   * start and is asked without a signal. Neither prints a thread dump, both keep running.
   */
  @Test
  void javaMethodsOfAJvmStartedWithoutAttachFlagsAreNamedAndJvmsThatCannotAttachAreNotSignalled(@TempDir Path dir) throws Exception {
    String method = "bpfstreamProfileBusyHeron";
    Path classes = BusyJava.compile(dir, method);
    ProfileProbe probe = new ProfileProbe();
    try (ChildProcesses children = new ChildProcesses();
         RunningProbe running = RunningProbe.start(probe, ProbeOptions.none().with(probe, "hz", "99"))) {
      RecordingSink sink = running.sink();
      List<String> contained = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--kill-child", "--mount", "--propagation", "private",
          "--mount-proc", "sh", "-c", "mount --bind \"$0\" /mnt && mount -t tmpfs none /tmp && \"$@\"; exit $?", classes.toString()));
      // Its classes are under the /tmp it hides: it reads them where its mount namespace binds them.
      contained.addAll(BusyJava.command("/mnt", method));
      Path attachableOut = dir.resolve("attachable.out");
      Process attachable = children.start(ProcessBuilder.Redirect.to(attachableOut.toFile()), contained.toArray(String[]::new));
      Map<String, Path> refusing = new LinkedHashMap<>();
      Map<String, Process> refusingProcesses = new LinkedHashMap<>();
      for (String flag : List.of("-XX:+DisableAttachMechanism", "-Xrs")) {
        List<String> cmd = new ArrayList<>(BusyJava.command(classes.toString(), method));
        cmd.add(1, flag);
        Path out = dir.resolve(flag.replaceAll("\\W", "") + ".out");
        refusing.put(flag, out);
        refusingProcesses.put(flag, children.start(ProcessBuilder.Redirect.to(out.toFile()), cmd.toArray(String[]::new)));
      }
      long pid = ChildProcesses.await(attachable, "java").pid();
      BusyJava.awaitReady(attachableOut, attachable);
      for (String flag : refusing.keySet()) {
        BusyJava.awaitReady(refusing.get(flag), refusingProcesses.get(flag));
      }

      // Other JVMs on the machine may take a drain's one signal first: drain until the method is named.
      long rsPid = refusingProcesses.get("-Xrs").pid();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline
          && (framesOf(sink, pid).noneMatch(f -> f.contains(method)) || framesOf(sink, rsPid).noneMatch(f -> f.contains(method)))) {
        running.drain();
        Thread.sleep(1000);
      }
      assertThat(framesOf(sink, pid).filter(f -> f.contains(method)).findFirst())
          .as("a frame of JVM %d naming %s", pid, method).isPresent();
      String nsPid = BusyJava.nsPid(pid);
      assertThat(nsPid).isNotEqualTo(Long.toString(pid));
      assertThat(Files.readString(Path.of("/proc/" + pid + "/root/tmp/perf-" + nsPid + ".map")))
          .as("the perf map the JVM wrote in its own /tmp").contains(method);
      Map<String, Long> health = new java.util.HashMap<>();
      probe.addCounters(running.loaded(), health);
      assertThat(health.get("jvm_attach_signals")).isPositive();
      assertThat(health.get("jvm_perfmaps_written")).isPositive();
      assertThat(Files.readString(attachableOut)).doesNotContain("Full thread dump");

      // Attach disabled: SIGQUIT would print a thread dump. Its JIT frames stay addresses.
      long disabledPid = refusingProcesses.get("-XX:+DisableAttachMechanism").pid();
      assertThat(framesOf(sink, disabledPid).filter(f -> f.startsWith("0x")).findFirst())
          .as("JIT addresses of the JVM run with -XX:+DisableAttachMechanism: it was seen and not asked").isPresent();
      assertThat(framesOf(sink, disabledPid)).noneMatch(f -> f.contains(method));
      assertThat(Path.of("/tmp/.attach_pid" + disabledPid)).doesNotExist();
      assertThat(Path.of("/tmp/perf-" + disabledPid + ".map")).doesNotExist();
      // -Xrs: SIGQUIT would end it; HotSpot starts its listener at once instead, so it is asked without a signal.
      try {
        assertThat(framesOf(sink, rsPid)).as("frames of the JVM run with -Xrs").anyMatch(f -> f.contains(method));
      } finally {
        Files.deleteIfExists(Path.of("/tmp/perf-" + rsPid + ".map"));
      }
      for (Map.Entry<String, Path> e : refusing.entrySet()) {
        assertThat(refusingProcesses.get(e.getKey()).isAlive()).as("the JVM run with %s still runs", e.getKey()).isTrue();
        assertThat(Files.readString(e.getValue())).as("output of the JVM run with %s", e.getKey())
            .contains("ready").doesNotContain("Full thread dump");
      }
    }
  }

  private static java.util.stream.Stream<String> framesOf(RecordingSink sink, long pid) {
    return sink.all(ProfileSample.class).stream().filter(s -> s.getCtx().getPid() == pid).flatMap(s -> s.getUserFrames().stream());
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

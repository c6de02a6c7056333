package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.testing.CProgram;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.event.ProcessExit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exit against real exits of processes this test starts: their code or signal, lifetime and task, once each. */
class ExitProbeTest {
  /** Four threads that each live 100 ms, joined before main returns 7. */
  static final String THREADS = """
      #include <pthread.h>
      #include <unistd.h>
      static void *nap(void *arg) { usleep(100000); return arg; }
      int main(void) {
        pthread_t t[4];
        for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, nap, 0);
        for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
        return 7;
      }
      """;

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf(CProgram.missingCompiler());
  }

  @Test
  void aProcessExitingWithACodeArrivesWithItItsLifetimeAndItsParent() throws Exception {
    try (RunningProbe probe = RunningProbe.start(new ExitProbe())) {
      long startedAfter = System.currentTimeMillis() * 1_000_000L;
      Process p = new ProcessBuilder("sh", "-c", "sleep 0.3; exit 3").start();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      ProcessExit e = probe.sink().await(ProcessExit.class, r -> r.getCtx().getPid() == p.pid(), Duration.ofSeconds(10));
      assertThat(e.getExitCode()).isEqualTo(3);
      assertThat(e.getSignal()).isZero();
      assertThat(e.getCoreDumped()).isFalse();
      assertThat(e.getLifetimeNs()).isBetween(300_000_000L, 10_000_000_000L);
      assertThat(e.getStartTimeNs()).isGreaterThan(startedAfter - 1_000_000_000L);
      assertThat(e.getCtx().getTimeNs() - e.getStartTimeNs()).isCloseTo(e.getLifetimeNs(), within(1_000_000L));
      assertThat(e.getCtx().getComm()).isEqualTo("sh");
      assertThat(e.getCtx().getTid()).isEqualTo(e.getCtx().getPid());
      assertThat(e.getCtx().getPpid()).isEqualTo(ProcessHandle.current().pid());
    }
  }

  @Test
  void aKilledProcessArrivesWithTheSignalThatEndedIt() throws Exception {
    try (RunningProbe probe = RunningProbe.start(new ExitProbe())) {
      Process killed = new ProcessBuilder("sleep", "60").start();
      Process terminated = new ProcessBuilder("sleep", "60").start();
      Thread.sleep(200); // both are sleep by now, not the JVM's forked child
      killed.destroyForcibly();
      terminated.destroy();
      assertThat(killed.waitFor(10, TimeUnit.SECONDS) && terminated.waitFor(10, TimeUnit.SECONDS)).isTrue();
      ProcessExit k = probe.sink().await(ProcessExit.class, r -> r.getCtx().getPid() == killed.pid(), Duration.ofSeconds(10));
      ProcessExit t = probe.sink().await(ProcessExit.class, r -> r.getCtx().getPid() == terminated.pid(), Duration.ofSeconds(10));
      assertThat(k.getSignal()).isEqualTo(9);
      assertThat(t.getSignal()).isEqualTo(15);
      assertThat(List.of(k.getExitCode(), t.getExitCode())).containsOnly(0);
      assertThat(k.getCtx().getComm()).isEqualTo("sleep");
    }
  }

  @Test
  void aProcessWithThreadsIsOneExitNotOnePerThread(@TempDir Path dir) throws Exception {
    Path threads = CProgram.compile(dir, "threads", THREADS, "-pthread");
    try (RunningProbe probe = RunningProbe.start(new ExitProbe())) {
      Process p = new ProcessBuilder(threads.toString()).start();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(7);
      probe.sink().await(ProcessExit.class, r -> r.getCtx().getPid() == p.pid(), Duration.ofSeconds(10));
      Thread.sleep(200); // a thread's exit would have been read by now: the ring is drained every 20 ms
      List<ProcessExit> ofIt = probe.sink().all(ProcessExit.class).stream().filter(r -> r.getCtx().getPid() == p.pid()).toList();
      assertThat(ofIt).hasSize(1);
      assertThat(ofIt.get(0).getExitCode()).isEqualTo(7);
      assertThat(ofIt.get(0).getCtx().getTid()).isEqualTo(p.pid());
      assertThat(probe.loaded().kernelStats().lost()).isZero();
    }
  }
}

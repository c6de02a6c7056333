package dev.bpfstream.collector.symbol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.testing.ChildProcesses;
import org.junit.jupiter.api.Test;

/**
 * Whether SIGQUIT would start a JVM's attach listener, told from /proc and the JVM's own perf data
 * alone (nothing is signalled here): this test's JVM may be, JVMs run with -Xrs or
 * -XX:+DisableAttachMechanism (also when given through JAVA_TOOL_OPTIONS) and non-JVMs may not.
 */
class HotSpotProcessTest {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

  @Test
  void thisJvmMayBeSignalledAndItsPerfDataSaysWhatItIs() throws Exception {
    long pid = ProcessHandle.current().pid();
    Path dir = Path.of("/proc/" + pid);
    assertThat(HotSpotProcess.whyNotSignal(dir, (int) pid)).isNull();
    HotSpotPerfData perf = HotSpotPerfData.read(Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + System.getProperty("user.name"),
        Long.toString(pid)));
    assertThat(perf.started()).isTrue();
    assertThat(perf.attachable()).isTrue();
    assertThat(perf.featureVersion()).isEqualTo(Runtime.version().feature());
    assertThat(perf.options()).contains("-Xmx");
    assertThat(HotSpotProcess.Status.read(dir).handlesSigquit()).isTrue();
  }

  @Test
  void jvmsThatSigquitWouldDumpOrEndAndOtherProgramsAreNot() throws Exception {
    try (ChildProcesses children = new ChildProcesses()) {
      Process disabled = children.start(JAVA, "-XX:+DisableAttachMechanism", "-cp", System.getProperty("java.class.path"), Sleeper.class.getName());
      Process rs = children.start(JAVA, "-Xrs", "-cp", System.getProperty("java.class.path"), Sleeper.class.getName());
      ProcessBuilder viaEnvironment = new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"), Sleeper.class.getName())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      viaEnvironment.environment().put("JAVA_TOOL_OPTIONS", "-Xrs");
      Process env = viaEnvironment.start();
      Process sleep = children.start("sleep", "30");
      try {
        assertThat(whyNot(disabled)).contains("attach mechanism disabled");
        assertThat(whyNot(rs)).contains("-Xrs");
        assertThat(whyNot(env)).as("-Xrs in JAVA_TOOL_OPTIONS, not on the command line").contains("-Xrs");
        assertThat(HotSpotProcess.whyNotSignal(Path.of("/proc/" + sleep.pid()), (int) sleep.pid()).reason()).contains("not a HotSpot JVM");
      } finally {
        env.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The reason once the JVM finished starting (before that: "still starting"). */
  private static String whyNot(Process p) throws Exception {
    Path dir = Path.of("/proc/" + p.pid());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      HotSpotProcess.Skip why = HotSpotProcess.whyNotSignal(dir, (int) p.pid());
      if (why != null && !why.reason().equals("still starting") && !why.reason().startsWith("not a HotSpot")
          && !why.reason().startsWith("no perf data") || System.nanoTime() > deadline) {
        assertThat(why).isNotNull();
        assertThat(why.lasting()).isTrue();
        return why.reason();
      }
      assertThat(p.isAlive()).isTrue();
      Thread.sleep(50);
      assertThat(Files.exists(dir)).isTrue();
    }
  }

  /** A JVM that only waits. */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(60_000);
    }
  }
}

package dev.bpfstream.collector.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.cli.CollectorMain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The collector runs with exactly its documented capabilities, and names the one that is missing. */
class LeastPrivilegeTest {
  static final String FULL_SET = "+bpf,+perfmon,+sys_admin,+sys_ptrace,+dac_read_search";

  @BeforeAll
  static void canDropCapabilities() {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    Prerequisites.requireCommand("setpriv", "util-linux");
  }

  /** Runs the collector CLI with only {@code caps} in its bounding, permitted and effective sets. */
  static Process collectorWith(String caps, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of("setpriv", "--bounding-set=-all," + caps, "--inh-caps=-all", "--",
        java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), CollectorMain.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).start();
  }

  @Test
  void withExactlyTheDocumentedCapabilitiesExecsAreTraced() throws Exception {
    String marker = "lp-" + UUID.randomUUID().toString().substring(0, 8);
    Process p = collectorWith(FULL_SET, "run", "--stdout", "--probes", "exec", "--duration", "8s", "--metrics-port", "0",
        "--no-spool");
    StringBuffer errLines = new StringBuffer();
    java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);
    Thread status = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))
        .lines().forEach(l -> {
          errLines.append(l).append('\n');
          if (l.contains("attached")) {
            attached.countDown();
          }
        }));
    status.start();
    try {
      assertThat(attached.await(60, TimeUnit.SECONDS)).as("collector attached").isTrue();
      for (int i = 0; i < 5; i++) {
        new ProcessBuilder("/bin/true", marker).start().waitFor();
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      status.join(10_000);
      String err = errLines.toString();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(err).isZero();
      assertThat(out).as(err).contains(marker);
      assertThat(err).doesNotContain("missing CAP_").doesNotContain("without CAP_");
    } finally {
      p.destroyForcibly();
      status.interrupt();
    }
  }

  @Test
  void withoutCapBpfItSaysSoInOneLineAndStops() throws Exception {
    Process p = collectorWith("+perfmon,+sys_ptrace,+dac_read_search", "run", "--stdout", "--duration", "2s",
        "--metrics-port", "0", "--no-spool");
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(err).doesNotContain("\n").contains("missing CAP_BPF").doesNotContain("CAP_PERFMON");
  }

  @Test
  void withoutTheOptionalOnesItRunsAndSaysWhatIsLost() throws Exception {
    Process p = collectorWith("+bpf,+perfmon,+sys_admin", "run", "--stdout", "--probes", "exec", "--duration", "3s",
        "--metrics-port", "0", "--no-spool");
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(err).contains("without CAP_SYS_PTRACE").contains("without CAP_DAC_READ_SEARCH");
  }
}

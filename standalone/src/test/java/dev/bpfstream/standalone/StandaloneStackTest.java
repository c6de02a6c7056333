package dev.bpfstream.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.bpf.Privileges;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `bpfstream up` as a child process, exactly as a user runs it (with --json): real activity in a
 * new UTS and pid namespace shows up in the summaries on the output topics within a bounded time;
 * SIGTERM stops it cleanly and a second start resumes with the data already there.
 */
class StandaloneStackTest {
  private Path dataDir;
  private Process stack;

  @BeforeEach
  void prerequisites() throws Exception {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    dataDir = Files.createTempDirectory("bpfstream-up");
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (stack != null && stack.isAlive()) {
      stack.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (Stream<Path> s = Files.walk(dataDir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private Process up() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        StandaloneMain.class.getName(), "--data-dir", dataDir.toString(), "--kafka-port", "0", "--window", "2s",
        "--json", "--metrics-port", String.valueOf(freePort()), "--console-port", String.valueOf(freePort())).start();
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Test
  void activityInANewNamespaceReachesTheSummariesAndSigtermStopsEverything() throws Exception {
    stack = up();
    List<String> lines = new ArrayList<>();
    BufferedReader out = new BufferedReader(new InputStreamReader(stack.getInputStream(), StandardCharsets.UTF_8));
    Thread reader = new Thread(() -> out.lines().forEach(l -> {
      synchronized (lines) {
        lines.add(l);
      }
    }));
    reader.setDaemon(true);
    reader.start();

    String pidNs = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    boolean seen = false;
    while (!seen && System.nanoTime() < deadline) {
      Process p = new ProcessBuilder("unshare", "--uts", "--pid", "--fork", "--mount", "--mount-proc", "sh", "-c",
          "hostname up-test; readlink /proc/self/ns/pid; for i in 1 2 3 4 5; do /bin/true; done").start();
      String ns = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      pidNs = ns.substring(ns.indexOf('[') + 1, ns.indexOf(']'));
      Thread.sleep(2000);
      String wanted = "\"namespace\": \"pid:" + pidNs + "\"";
      synchronized (lines) {
        seen = lines.stream().anyMatch(l -> l.startsWith("{\"topic\": \"agg.workload\"") && l.contains(wanted)
            && l.contains("\"exec_per_s\""));
      }
    }
    // The default probes include runqlat: run-queue latency summaries come without any help.
    boolean runq = false;
    long runqDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (seen && !runq && System.nanoTime() < runqDeadline) {
      synchronized (lines) {
        runq = lines.stream().anyMatch(l -> l.startsWith("{\"topic\": \"agg.latency\"") && l.contains("\"kind\": \"RUNQ\""));
      }
      Thread.sleep(500);
    }
    synchronized (lines) {
      assertThat(seen).as("a workload summary for namespace pid:%s within 120 s; got %d lines, e.g. %s", pidNs,
          lines.size(), lines.isEmpty() ? "" : lines.get(lines.size() - 1)).isTrue();
      assertThat(lines).anyMatch(l -> l.startsWith("{\"topic\": \"agg.workload\"") && l.contains("\"scope\": \"HOST\""));
      assertThat(lines).anyMatch(l -> l.startsWith("{\"topic\": \"collector.health\""));
      assertThat(runq).as("a run-queue latency summary from the default probes").isTrue();
    }

    // Nothing of ours listens beyond loopback: broker, Flink MiniCluster, metrics endpoint, web console.
    List<String> listening = ListeningSockets.of(stack.pid());
    assertThat(listening).isNotEmpty().allMatch(ListeningSockets::loopback);

    long pid = stack.pid();
    stack.destroy(); // SIGTERM
    assertThat(stack.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
    assertThat(stack.exitValue()).isIn(0, 143);
    assertThat(ProcessHandle.of(pid)).isEmpty();
    assertThat(Files.list(Path.of("/sys/fs/bpf")).filter(p -> p.getFileName().toString().contains("bpfstream"))).isEmpty();

    // Checkpoints completed, each of which made every Kafka sink's committer collide with its own
    // pendingCommittables gauge (FLINK-35321); the log configuration keeps that out of the log.
    try (Stream<Path> files = Files.walk(dataDir.resolve("flink"))) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith("chk-"))).as("a retained checkpoint").isNotEmpty();
    }
    assertThat(Files.readString(dataDir.resolve("bpfstream.log"))).doesNotContain("pendingCommittables");

    // The next start resumes with the data already there (the broker's cluster id and logs).
    String clusterId = Files.readString(dataDir.resolve("kafka/cluster.id"));
    stack = up();
    BufferedReader err = new BufferedReader(new InputStreamReader(stack.getErrorStream(), StandardCharsets.UTF_8));
    String line;
    boolean running = false;
    while ((line = err.readLine()) != null) {
      if (line.contains("running; Kafka on")) {
        running = true;
        break;
      }
    }
    assertThat(running).isTrue();
    assertThat(Files.readString(dataDir.resolve("kafka/cluster.id"))).isEqualTo(clusterId);
    stack.destroy();
    assertThat(stack.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aPortInUseIsOneLineNamingTheOption() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      String java = ProcessHandle.current().info().command().orElse("java");
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StandaloneMain.class.getName(),
          "--data-dir", dataDir.toString(), "--kafka-port", String.valueOf(taken.getLocalPort()), "--metrics-port", "0",
          "--console-port", "0").start();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(1);
      assertThat(err).doesNotContain("\n").doesNotContain("Exception")
          .contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use").contains("--kafka-port");
    }
  }
}

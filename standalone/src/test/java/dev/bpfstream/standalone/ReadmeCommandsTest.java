package dev.bpfstream.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.collector.bpf.Privileges;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tool commands run as a user runs them: {@code ./bpfstream jobs|alerts|sql|collector}
 * is {@code java -jar} of the module's jar, one process each, with the default logging. Each prints
 * its result and leaves stderr free of logs a user did not ask for: no stack trace, no Flink or
 * Kafka warning. Kafka is the test broker (the README's commands say 127.0.0.1:9092).
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReadmeCommandsTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Path JOBS_JAR = ROOT.resolve("stream-jobs/target/bpfstream-stream-jobs.jar");
  static final Path COLLECTOR_JAR = ROOT.resolve("collector/target/bpfstream-collector.jar");

  @TempDir
  static Path state;

  record Run(int exit, String out, String err) {
    /** Nothing on stderr a user would take for a failure. */
    Run quiet() {
      assertThat(err).as("stderr").doesNotContain("\tat ", "Exception", "WARN ", "ERROR ");
      return this;
    }
  }

  @BeforeAll
  static void theJarsAreBuilt() {
    assertThat(JOBS_JAR).as("build the jars first: mvn -B -DskipTests package").exists();
    assertThat(COLLECTOR_JAR).as("build the jars first: mvn -B -DskipTests package").exists();
  }

  static Run run(Path jar, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:+UseSerialGC",
        "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
    // Log files go to the test's own state directory, not the user's.
    pb.environment().put("XDG_STATE_HOME", state.toString());
    pb.environment().remove("BPFSTREAM_LOG_FILE");
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(String.join(" ", args) + " did not end within 180 s; stderr: " + err.getNow(""));
    }
    Run r = new Run(p.exitValue(), out.join(), err.join());
    assertThat(r.exit()).as("exit status of %s; stderr: %s", String.join(" ", args), r.err()).isZero();
    return r;
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void helpAndRuleChecksPrintTheirTextOnly() throws Exception {
    assertThat(run(JOBS_JAR, "--help").quiet().out()).contains("workload", "latency", "alerts", "sql");
    assertThat(run(JOBS_JAR, "generate", "--help").quiet().out()).contains("--bootstrap-servers", "--kafka-config");
    assertThat(run(JOBS_JAR, "alerts", "check", "conf/rules.yaml").quiet().out()).startsWith("conf/rules.yaml: 10 rules");
    assertThat(run(JOBS_JAR, "sql", "--tables").quiet().out()).contains("bpf_exec  (topic bpf.exec");
  }

  /**
   * A tool run before (or beside) `bpfstream up` must not leave anything in the stack's data
   * directory, which `up` refuses when other users can read it: the logs live beside it, private.
   */
  @Test
  void toolLogsArePrivateAndStayOutOfTheStacksDataDirectory(TestBroker broker) throws Exception {
    run(JOBS_JAR, "sql", "--tables").quiet();
    run(JOBS_JAR, "generate", "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix",
        "readme" + UUID.randomUUID().toString().substring(0, 8) + ".", "--hosts", "1", "--events", "100").quiet();
    assertThat(state.resolve("bpfstream")).as("the stack's data directory, which up creates 0700").doesNotExist();
    Path log = state.resolve("bpfstream-logs/jobs.log");
    assertThat(log).exists();
    assertThat(java.nio.file.Files.getPosixFilePermissions(log))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void aBoundedQueryPrintsItsTableAndEndsWithoutAnAlarm(TestBroker broker) throws Exception {
    String prefix = "readme" + UUID.randomUUID().toString().substring(0, 8) + ".";
    run(JOBS_JAR, "generate", "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", prefix,
        "--hosts", "2", "--events", "3000").quiet();
    Run sql = run(JOBS_JAR, "sql", "-f", "conf/sql/top-execs.sql", "--from", "earliest", "--bounded",
        "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", prefix).quiet();
    assertThat(sql.out()).contains("| window_end", "| container", "| execs").containsPattern("\\d+ rows?\\n");
    assertThat(sql.err()).isEmpty();
  }

  @Test
  void theCollectorListsItsProbesAndPrintsEventsAsJsonLines() throws Exception {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    assertThat(run(COLLECTOR_JAR, "probes").quiet().out()).contains("exec", "runqlat");
    // Execs until it ends (its start may take seconds on a loaded machine), so there is an event to
    // print whatever else the machine does.
    Thread execs = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          new ProcessBuilder("/bin/true").start().waitFor();
          Thread.sleep(200);
        }
      } catch (IOException | InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "execs");
    execs.start();
    Run events;
    try {
      events = run(COLLECTOR_JAR, "run", "--stdout", "--duration", "6s").quiet();
    } finally {
      execs.interrupt();
      execs.join();
    }
    assertThat(events.out()).containsPattern("\\{\"topic\": ?\"bpf\\.exec\",.*\"filename\": ?\"(/usr)?/bin/true\"");
    assertThat(events.err()).contains("collector: 3 probe(s) attached");
  }
}

package dev.bpfstream.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.bpf.Privileges;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The data directory of `bpfstream up` is root's alone: one that others can read is refused, with the fix. */
class PrivateDataDirTest {
  private Path dataDir;

  @BeforeEach
  void prerequisites() throws Exception {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    dataDir = Files.createTempDirectory("bpfstream-private");
  }

  @AfterEach
  void cleanUp() throws Exception {
    try (Stream<Path> s = Files.walk(dataDir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void aDataDirectoryOthersCanReadIsRefusedWithTheFix() throws Exception {
    Path logs = Files.createDirectories(dataDir.resolve("kafka/kafka-logs"));
    Files.writeString(logs.resolve("segment.log"), "root's events");
    for (Path p : List.of(dataDir, dataDir.resolve("kafka"), logs)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.setPosixFilePermissions(logs.resolve("segment.log"), PosixFilePermissions.fromString("rw-r--r--"));
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StandaloneMain.class.getName(),
        "--data-dir", dataDir.toString(), "--kafka-port", "0", "--metrics-port", "0").start();
    String out = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(out).doesNotContain("\n").doesNotContain("Exception")
        .contains("data dir " + dataDir + " can be read by other users (" + dataDir + " is rwxr-xr-x, and 3 more)")
        .endsWith("run chmod -R go= " + dataDir + ", or choose another with --data-dir");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).as("left as it was").isEqualTo("rwxr-xr-x");
  }
}

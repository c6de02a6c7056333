package dev.bpfstream.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.testing.CProgram;
import dev.bpfstream.collector.testing.CollectorProcess;
import dev.bpfstream.collector.testing.RunningProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `collector run --stdout --probes open > file`, everything else at its defaults, through an open
 * storm of a known count: every line of the file is JSON, the file holds exactly what the probe
 * delivered, and the exit summary on stderr closes (attempted = delivered + lost + rate-limited).
 * Losses in the ring are allowed here (tests assert behaviour; the benchmark asserts zero loss).
 * Other processes on the host open files too: only the storm's own lines are compared to its count.
 */
class StdoutStormTest {
  static final int OPENS = 50_000;
  static final Pattern SUMMARY = Pattern.compile(
      "collector: probe open: attempted=(\\d+) delivered=(\\d+) lost=(\\d+) rate-limited=(\\d+) produced=(\\d+) dropped=(\\d+)(.*)");
  static final String OPENLOOP = """
      #include <fcntl.h>
      #include <stdio.h>
      #include <stdlib.h>
      #include <unistd.h>
      int main(int argc, char **argv) {
        long n = atol(argv[1]);
        for (long i = 0; i < n; i++) { int fd = open(argv[2], O_RDONLY); if (fd >= 0) close(fd); }
        printf("%ld opens\\n", n);
        return 0;
      }
      """;

  @TempDir
  Path dir;

  @BeforeAll
  static void prerequisites() {
    RunningProbe.requireBpf();
    Prerequisites.require(CProgram.missingCompiler());
  }

  @Test
  void everyLineIsJsonAndTheFileHoldsWhatTheProbeDeliveredAndTheExitSummaryCloses() throws Exception {
    Path openloop = CProgram.compile(dir, "openloop", OPENLOOP, "-O2");
    Path missing = dir.resolve("not-there");
    Path stdout = dir.resolve("events.jsonl");
    Path stderr = dir.resolve("collector.err");
    long stormPid;
    // The collector's own logging configuration (stderr), not the tests' (stdout).
    List<String> jvm = List.of("-XX:+UseSerialGC", "-Dlog4j2.configurationFile=log4j2.xml");
    try (CollectorProcess collector = CollectorProcess.start(stderr, stdout, jvm, List.of("--stdout", "--probes", "open"))) {
      collector.awaitStarted(Duration.ofSeconds(60));
      Process storm = new ProcessBuilder(openloop.toString(), Integer.toString(OPENS), missing.toString())
          .redirectErrorStream(true).start();
      stormPid = storm.pid();
      assertThat(new String(storm.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains(OPENS + " opens");
      assertThat(storm.waitFor(60, TimeUnit.SECONDS)).isTrue();
      collector.stop(Duration.ofSeconds(60)); // SIGTERM: detach, drain, flush, exit summary
    }

    String err = Files.readString(stderr);
    Matcher summary = SUMMARY.matcher(err);
    assertThat(summary.find()).as("exit summary on stderr:\n" + err).isTrue();
    long attempted = Long.parseLong(summary.group(1));
    long delivered = Long.parseLong(summary.group(2));
    long lost = Long.parseLong(summary.group(3));
    long rateLimited = Long.parseLong(summary.group(4));
    assertThat(attempted).as("every open of the storm reached the probe: " + summary.group()).isGreaterThanOrEqualTo(OPENS);
    assertThat(delivered + lost + rateLimited).as(summary.group()).isEqualTo(attempted);
    assertThat(Long.parseLong(summary.group(5))).as("written: " + summary.group()).isEqualTo(delivered);
    assertThat(summary.group(7)).as("no parse errors: " + summary.group()).doesNotContain("parse-errors");

    ObjectMapper json = new ObjectMapper();
    long openLines = 0;
    long stormLines = 0;
    JsonNode lastHealth = null;
    long lineNo = 0;
    try (BufferedReader in = Files.newBufferedReader(stdout)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        JsonNode node;
        try {
          node = json.readTree(line);
        } catch (Exception e) {
          throw new AssertionError("line " + lineNo + " is not JSON (" + e.getMessage() + "): " + line);
        }
        String topic = node.path("topic").asText();
        JsonNode record = node.path("record");
        assertThat(record.isObject()).as("line " + lineNo + ": " + line).isTrue();
        if (topic.equals("bpf.open")) {
          openLines++;
          if (record.path("ctx").path("pid").asLong() == stormPid && record.path("path").asText().equals(missing.toString())) {
            stormLines++;
            assertThat(record.path("errno").asInt()).isEqualTo(2);
            assertThat(record.path("fd").asInt()).isEqualTo(-1);
            assertThat(record.path("ctx").path("comm").asText()).isEqualTo("openloop");
          }
        } else if (topic.equals("collector.health")) {
          lastHealth = record;
        }
      }
    }
    System.out.printf("stdout storm: %d opens; probe attempted=%d delivered=%d lost=%d; %d lines of bpf.open, %d of the storm%n",
        OPENS, attempted, delivered, lost, openLines, stormLines);
    assertThat(openLines).as("one bpf.open line per delivered record").isEqualTo(delivered);
    assertThat(stormLines).as("the storm's opens, less at most what the ring lost").isLessThanOrEqualTo(OPENS)
        .isGreaterThanOrEqualTo(OPENS - lost);
    assertThat(lastHealth).as("the last health report is in the file").isNotNull();
    JsonNode openHealth = null;
    for (JsonNode p : lastHealth.path("probes")) {
      if (p.path("probe").asText().equals("open")) {
        openHealth = p;
      }
    }
    assertThat(openHealth).isNotNull();
    assertThat(Map.of("attempted", openHealth.path("attempted").asLong(), "delivered", openHealth.path("delivered").asLong(),
        "lostKernel", openHealth.path("lostKernel").asLong()))
        .as("the last health report, made after the probe was detached and drained, agrees with the exit summary")
        .isEqualTo(Map.of("attempted", attempted, "delivered", delivered, "lostKernel", lost));
  }
}

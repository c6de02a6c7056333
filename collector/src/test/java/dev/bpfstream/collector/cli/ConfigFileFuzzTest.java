package dev.bpfstream.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bpfstream.fuzz.BoundedCall;
import dev.bpfstream.fuzz.TextMutation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `collector run --config FILE` with hostile files: valid configurations mutated (typos, stray YAML
 * syntax, cut files, control characters, huge numbers), and random bytes. A file is either refused
 * before anything starts, with one line per problem naming file and line, or its options are ones
 * the collector accepts at start: nothing the file passed is refused later without its line.
 */
class ConfigFileFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(10));
  private static final Path DIR = tempDir();
  private static final Path FILE = DIR.resolve("collector.yaml");
  private static final CommandSpec RUN = new CommandLine(new CollectorMain()).getSubcommands().get("run").getCommandSpec();
  /** `run` as it parses its arguments at start (one instance: building it is the slow part). */
  private static final CommandLine START = new CommandLine(new RunCommand()).setOverwrittenOptionsAllowed(true);

  /** Keys with values the collector takes; the flow and block YAML forms both appear. */
  private static final Map<String, List<String>> VALID = new LinkedHashMap<>();

  static {
    VALID.put("interval", List.of("10s", "500ms", "2m"));
    VALID.put("scan-interval", List.of("30s", "1h"));
    VALID.put("probes", List.of("[exec, exit]", "[open, fileslow, tcp]", "exec", "\n  - exec\n  - nslifecycle"));
    VALID.put("probe-option", List.of("[fileslow.min-latency=5ms, open.path-max=512]", "tcp.max-sockets=4096",
        "\n  - fileslow.fs-types=ext4,xfs\n  - biosnoop.max-inflight=1024"));
    VALID.put("argv-max-bytes", List.of("1024", "0", "4095"));
    VALID.put("ring-bytes", List.of("4M", "65536", "1G"));
    VALID.put("reader", List.of("ringbuf", "perfbuf"));
    VALID.put("metrics-port", List.of("0", "9464"));
    VALID.put("redact", List.of("['token=(\\S+)']", "\"(?i)secret=(\\\\w+)\""));
    VALID.put("no-default-redaction", List.of("true", "false"));
    VALID.put("stdout", List.of("true", "false"));
    VALID.put("sink", List.of("kafka", "null", "stdout"));
    VALID.put("spool-max-bytes", List.of("1G", "64M", "64K"));
    VALID.put("spool-policy", List.of("block", "drop-oldest", "drop-newest"));
    VALID.put("no-spool", List.of("true", "false"));
    VALID.put("duration", List.of("5s", "1h"));
    VALID.put("host-metrics", List.of("true", "false"));
    VALID.put("profile-hz", List.of("49", "99"));
    VALID.put("runqlen-hz", List.of("99", "1"));
    VALID.put("shell", List.of("/bin/bash", "[/bin/bash, /usr/bin/bash]"));
    VALID.put("host-id", List.of("web-1", "'a b'"));
    VALID.put("bootstrap-servers", List.of("127.0.0.1:9092"));
    VALID.put("topic-prefix", List.of("test.", "''"));
    VALID.put("kafka-config", List.of("/etc/bpfstream/kafka.properties"));
    VALID.put("spool-dir", List.of("/var/lib/bpfstream/spool"));
  }

  @Provide
  Arbitrary<String> validFiles() {
    List<Arbitrary<String>> lines = new ArrayList<>();
    VALID.forEach((key, values) -> lines.add(Arbitraries.of(values).map(v -> key + ": " + v)));
    // A few keys a file: each key is checked on its own (a command-line parse), the slow part here.
    return Arbitraries.subsetOf(lines).ofMinSize(1).ofMaxSize(5).flatMap(chosen ->
        net.jqwik.api.Combinators.combine(new ArrayList<>(chosen)).as(l -> String.join("\n", l) + "\n"));
  }

  @Provide
  Arbitrary<List<TextMutation>> mutations() {
    return TextMutation.some();
  }

  @Property(tries = 100)
  void everyValidFileIsTakenAndTheCollectorAcceptsItsOptions(@ForAll("validFiles") String yaml) throws IOException {
    Files.writeString(FILE, yaml);
    BoundedCall.Outcome<List<String>> o = CALLS.run(() -> ConfigFile.toArguments(FILE, RUN), yaml);
    assertThat(o.thrown()).as("refused a valid file:\n%s", yaml).isNull();
    assertStartAccepts(o.value(), yaml);
  }

  @Property(tries = 1000)
  void mutatedFilesAreRefusedWithFileAndLineOrTaken(@ForAll("validFiles") String yaml,
                                                    @ForAll("mutations") List<TextMutation> mutations) throws IOException {
    String text = TextMutation.applyAll(yaml, mutations);
    // getBytes, not writeString: a mutation can split a surrogate pair, which writeString refuses to encode.
    Files.write(FILE, text.getBytes(StandardCharsets.UTF_8));
    check(text, text.split("\n", -1).length);
  }

  @Property(tries = 1000)
  void randomBytesAreRefusedWithFileAndLineOrTaken(@ForAll @Size(max = 200) byte[] bytes) throws IOException {
    Files.write(FILE, bytes);
    check(new String(bytes, StandardCharsets.ISO_8859_1), new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1).length);
  }

  private static void check(String shown, int lines) {
    BoundedCall.Outcome<List<String>> o = CALLS.run(() -> ConfigFile.toArguments(FILE, RUN), shown);
    if (o.thrown() == null) {
      assertStartAccepts(o.value(), shown);
      return;
    }
    assertThat(o.thrown()).as("only ConfigException; for:\n%s", shown).isInstanceOf(ConfigFile.ConfigException.class);
    for (String problem : o.thrown().getMessage().split("\n", -1)) {
      assertThat(problem).as("one problem per line, with file and line").startsWith(FILE.toString());
      String rest = problem.substring(FILE.toString().length());
      if (!rest.startsWith(": not UTF-8")) {
        assertThat(rest).matches(":\\d+: .+").doesNotContain("\r");
        int line = Integer.parseInt(rest.substring(1, rest.indexOf(':', 1)));
        assertThat(line).as(problem).isBetween(1, lines + 1);
      }
    }
  }

  /** What the file gave must pass the checks `run` makes before it loads anything. */
  private static void assertStartAccepts(List<String> args, String file) {
    BoundedCall.Outcome<Object> o = CALLS.run(() -> {
      START.parseArgs(args.toArray(String[]::new)); // picocli resets every option first
      ((RunCommand) START.getCommand()).config();
      return Boolean.TRUE;
    }, file);
    assertThat(o.thrown()).as("the file was taken as %s but the collector refuses it at start; file:\n%s", args, file).isNull();
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("config-fuzz");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterContainer
  static void removeTempDir() throws IOException {
    Files.deleteIfExists(FILE);
    Files.deleteIfExists(DIR);
  }
}

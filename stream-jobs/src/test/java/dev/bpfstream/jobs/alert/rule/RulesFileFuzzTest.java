package dev.bpfstream.jobs.alert.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.bpfstream.fuzz.BoundedCall;
import dev.bpfstream.fuzz.TextMutation;
import dev.bpfstream.jobs.alert.AlertsCommand;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Rules files made hostile: the shipped conf/rules.yaml and small valid files, mutated (typos,
 * stray YAML syntax, cut files, control characters, huge and non-finite numbers), and random bytes.
 * A file is refused as a whole with one line per problem, file:line: reason, or every rule in it is
 * one the alerts job can run (finite limits, positive durations and counts).
 */
class RulesFileFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(10));
  private static final Path DIR = tempDir();
  private static final Path FILE = DIR.resolve("rules.yaml");
  private static final String SHIPPED = read(Path.of("../conf/rules.yaml"));
  private static final List<String> VALID = List.of(SHIPPED, """
      rules:
        - id: lat
          kind: sustained
          source: latency
          where: {kind: [block-io, runq], scope: [host, container]}
          figure: p999
          below: 2ms
          clear-above: 3ms
          windows: 2
      """, """
      defaults: {update-every: 30s, clear-windows: 3}
      rules:
        - {id: burst, kind: pattern, pattern: short-lived-burst, per: host, count: 5, within: 2s, max-lifetime: 500ms}
        - {id: quiet, kind: absence, silent-for: 45s, severity: info}
        - {id: drop, kind: rate-of-change, source: workload, figure: open_per_s, factor: 0.1, min-value: 1}
      """);

  @Provide
  Arbitrary<String> validFiles() {
    return Arbitraries.of(VALID);
  }

  @Provide
  Arbitrary<List<TextMutation>> mutations() {
    return TextMutation.some();
  }

  @Property(tries = 3000)
  void mutatedRulesAreRefusedLineByLineOrRunnable(@ForAll("validFiles") String valid, @ForAll("mutations") List<TextMutation> mutations) {
    String text = TextMutation.applyAll(valid, mutations);
    check(text);
  }

  @Property(tries = 1000)
  void randomTextIsRefusedLineByLine(@ForAll @Size(max = 300) String text) {
    check(text);
  }

  /** Through AlertsCommand.load, as `alerts run|check` read it: bytes that are not UTF-8 included. */
  @Property(tries = 500)
  void randomBytesAreRefusedByTheCommandInOneLinePerProblem(@ForAll @Size(max = 300) byte[] bytes) throws IOException {
    Files.write(FILE, bytes);
    StringWriter err = new StringWriter();
    BoundedCall.Outcome<RuleSet> o = CALLS.run(() -> AlertsCommand.load(FILE, new PrintWriter(err, true)), FILE);
    assertThat(o.thrown()).isNull();
    if (o.value() == null) {
      List<String> lines = err.toString().lines().toList();
      assertThat(lines).isNotEmpty();
      assertThat(lines.get(lines.size() - 1)).startsWith("alerts: " + FILE + " refused (");
      assertThat(lines.subList(0, lines.size() - 1)).isNotEmpty().allSatisfy(l -> assertThat(l).matches("\\Q" + FILE + "\\E:\\d+: .+"));
    } else {
      assertRunnable(o.value());
    }
  }

  private static void check(String text) {
    BoundedCall.Outcome<RuleSet> o = CALLS.run(() -> RulesParser.parse("rules.yaml", text), text);
    Statistics.collect(o.thrown() == null ? "taken" : "refused");
    if (o.thrown() == null) {
      assertRunnable(o.value());
      return;
    }
    assertThat(o.thrown()).as("only RulesException; for:\n%s", text).isExactlyInstanceOf(RulesException.class);
    RulesException e = (RulesException) o.thrown();
    int lines = text.split("\n", -1).length;
    assertThat(e.errors()).isNotEmpty();
    for (RuleError r : e.errors()) {
      assertThat(r.toString()).matches("rules\\.yaml:\\d+: [^\\n\\r\\u2028\\u2029]+");
      assertThat(r.line()).as(r.toString()).isBetween(0, lines + 1);
    }
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors().stream().map(RuleError::toString).toList()));
  }

  private static void assertRunnable(RuleSet set) {
    assertThat(set.rules()).isNotEmpty();
    for (Rule r : set.rules()) {
      AlertPolicy p = r.policy();
      assertThat(p.updateEveryNs()).isPositive().isLessThanOrEqualTo(YamlBlock.MAX_DURATION_NANOS);
      assertThat(p.resolveAfterMs()).isNotNegative();
      assertThat(p.clearWindows()).isPositive();
      assertThat(p.staleWindows()).isPositive();
      if (r instanceof SummaryRule s) {
        assertThat(s.windows()).isPositive();
        if (s.condition() instanceof Condition.Threshold t) {
          assertThat(t.limit()).isFinite();
          assertThat(t.clear()).isFinite();
        } else if (s.condition() instanceof Condition.RateOfChange c) {
          assertThat(c.factor()).isFinite().isPositive().isNotEqualTo(1.0);
          assertThat(c.minValue()).isFinite();
          assertThat(c.baselineWindows()).isPositive();
        }
      } else if (r instanceof PatternRule pr && pr.spec() instanceof PatternSpec.ShortLivedBurst b) {
        assertThat(b.count()).isGreaterThanOrEqualTo(2);
        assertThat(b.withinNs()).isPositive();
      }
    }
    assertThat(set.inputTopics()).isNotEmpty();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("rules-fuzz");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterContainer
  static void removeTempDir() throws IOException {
    Files.deleteIfExists(FILE);
    Files.deleteIfExists(DIR);
  }
}

package dev.bpfstream.jobs.alert.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import dev.bpfstream.event.Scope;
import dev.bpfstream.event.Severity;
import dev.bpfstream.schema.Topic;
import org.junit.jupiter.api.Test;

class RulesParserTest {

  static RuleSet parse(String yaml) throws RulesException {
    return RulesParser.parse("rules.yaml", yaml);
  }

  static List<String> errors(String yaml) {
    try {
      parse(yaml);
    } catch (RulesException e) {
      return e.errors().stream().map(RuleError::toString).toList();
    }
    throw new AssertionError("expected the rules to be refused");
  }

  @Test
  void theShippedRulesFileParsesWithEveryKind() throws Exception {
    RuleSet set = RulesParser.parse(Path.of("../conf/rules.yaml"));
    assertThat(set.rules()).extracting(Rule::kind).contains("threshold", "sustained", "rate-of-change", "pattern", "absence");
    assertThat(set.inputTopics()).contains(Topic.LATENCY, Topic.WORKLOAD, Topic.EXEC, Topic.EXIT, Topic.NS_LIFECYCLE,
        Topic.NS_METADATA, Topic.HEALTH);
    SummaryRule blockio = (SummaryRule) set.rule("blockio-p99-high");
    assertThat(blockio.filter().scopes()).containsExactly(Scope.HOST);
    assertThat(blockio.filter().latencyKinds()).containsExactly("BLOCK_IO");
    assertThat(blockio.condition()).isEqualTo(new Condition.Threshold(Comparison.ABOVE, 50e6, 40e6));
    assertThat(blockio.policy().clearWindows()).isEqualTo(2);
    assertThat(blockio.policy().updateEveryNs()).isEqualTo(300_000_000_000L);
    assertThat(((SummaryRule) set.rule("runq-p99-sustained")).windows()).isEqualTo(3);
    assertThat(set.rule("exec-from-world-writable-dir").severity()).isEqualTo(Severity.CRITICAL);
    assertThat(((AbsenceRule) set.rule("collector-silent")).silenceMs(10_000_000_000L)).isEqualTo(30_000);
    PatternSpec.ShortLivedBurst burst = (PatternSpec.ShortLivedBurst) ((PatternRule) set.rule("short-lived-burst")).spec();
    assertThat(burst).isEqualTo(new PatternSpec.ShortLivedBurst(PatternSpec.BurstScope.CONTAINER, 200, 10_000_000_000L, 1_000_000_000L));
  }

  @Test
  void theReadmeQuotesTheShippedRulesFileAndItsErrorExamplesAreWhatTheParserSays() throws Exception {
    String rules = java.nio.file.Files.readString(Path.of("../conf/rules.yaml"));
    String readme = java.nio.file.Files.readString(Path.of("../README.md"));
    assertThat(readme).contains("```yaml\n" + rules + "```");
    List<String> unitless = errors(rules.replace("above: 50ms", "above: 50"));
    assertThat(readme).contains("    " + unitless.get(0).replace("rules.yaml", "conf/rules.yaml") + "\n");
    List<String> typo = errors(rules.replace("    windows: 3", "    window: 3"));
    String first = typo.get(0).replace("rules.yaml", "conf/rules.yaml");
    assertThat(readme).contains("    " + first.substring(0, first.indexOf("takes: ") + 7) + "...\n");
  }

  @Test
  void aRuleOverridesTheDefaultsAndTheDefaultsOverrideTheBuiltIns() throws Exception {
    RuleSet set = parse("""
        defaults:
          update-every: 1m
        rules:
          - id: a
            kind: threshold
            source: workload
            figure: exec_per_s
            above: 10
          - id: b
            kind: threshold
            source: workload
            figure: exec_per_s
            below: 1
            update-every: 10s
            stale-windows: 5
        """);
    assertThat(set.rule("a").policy()).isEqualTo(new AlertPolicy(60_000_000_000L, 1, 3, 300_000));
    assertThat(set.rule("b").policy()).isEqualTo(new AlertPolicy(10_000_000_000L, 1, 5, 300_000));
    assertThat(((SummaryRule) set.rule("b")).condition()).isEqualTo(new Condition.Threshold(Comparison.BELOW, 1, 1));
    assertThat(set.rule("a").severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void everyProblemIsReportedWithFileLineAndReason() {
    List<String> e = errors("""
        rules:
          - id: p99
            kind: threshold
            source: latency
            figure: p99
            above: 50
          - id: typo
            kind: treshold
          - id: wrong-key
            kind: pattern
            pattern: setuid-root-exec
            alow: [/usr/bin/sudo]
          - id: p99
            kind: absence
            missed: 3
          - id: no-limit
            kind: sustained
            source: workload
            figure: exec_per_s
            windows: 3
        """);
    assertThat(e).containsExactly(
        "rules.yaml:6: rule 'p99': 'above' needs a unit for a latency figure (ns, us, ms, s), e.g. 50ms",
        "rules.yaml:8: rule 'typo': unknown kind 'treshold' (did you mean 'threshold'?); kinds: threshold, sustained, rate-of-change, pattern, absence",
        "rules.yaml:12: rule 'wrong-key': unknown key 'alow' (did you mean 'allow'?); pattern setuid-root-exec takes: allow, clear-windows, description, id, kind, pattern, resolve-after, severity, stale-windows, unprivileged-only, update-every",
        "rules.yaml:13: rule 'p99': duplicate id (first at line 2)",
        "rules.yaml:16: rule 'no-limit': 'above' or 'below' is missing (the limit)");
  }

  @Test
  void valuesOfTheWrongSortAreRefused() {
    assertThat(errors("""
        rules:
          - id: x
            kind: threshold
            source: workload
            where: {scope: pod}
            figure: exec_per_s
            above: 10ms
        """)).containsExactly(
        "rules.yaml:5: rule 'x' where: unknown scope 'pod'; one of: host, container, namespace, fleet",
        "rules.yaml:7: rule 'x': 'above' is a plain number for this figure, not a duration ('10ms')");
    assertThat(errors("""
        rules:
          - id: x
            kind: threshold
            source: latency
            where: {kind: disk}
            figure: p98
            above: 10ms
            clear-below: 20ms
        """)).containsExactly(
        "rules.yaml:5: rule 'x' where: unknown latency kind 'disk'; one of: block-io, block-queue, runq, file-op, tcp-connect, other",
        "rules.yaml:6: rule 'x': unknown latency figure 'p98'; one of: p50, p90, p99, p999, max, mean, count",
        "rules.yaml:8: rule 'x': 'clear-below' must be at or below 'above' (hysteresis)");
    assertThat(errors("""
        rules:
          - id: x
            kind: rate-of-change
            source: workload
            figure: exec_per_s
            factor: 1
          - id: y
            kind: absence
          - id: z
            kind: pattern
            pattern: short-lived-burst
            count: lots
            within: 10
          - id: Bad Id
            kind: absence
            missed: 3
          - id: s
            severity: page
            kind: pattern
            pattern: setns-into-other-container
            unknown-target: maybe
        """)).containsExactly(
        "rules.yaml:6: rule 'x': 'factor' must be above 1 (a rise, e.g. 10) or between 0 and 1 (a drop, e.g. 0.1), not 1",
        "rules.yaml:7: rule 'y': 'missed' (how many reporting intervals without a health record, e.g. 3) or 'silent-for' (e.g. 30s) is missing",
        "rules.yaml:12: rule 'z': 'count' must be a whole number, not 'lots'",
        "rules.yaml:13: rule 'z': 'within': '10' needs a unit: 10s, 10ms, 10m, ...",
        "rules.yaml:14: rule #4: id 'Bad Id' must be lower-case letters, digits, '.', '_' or '-'",
        "rules.yaml:18: rule 's': unknown severity 'page'; one of: info, warning, critical",
        "rules.yaml:21: rule 's': 'unknown-target' must be 'alert' or 'ignore', not 'maybe'");
  }

  @Test
  void brokenYamlAndEmptyFilesAreRefusedWithTheirLine() {
    assertThat(errors("rules:\n  - id: a\n    kind: [threshold\n")).singleElement().asString()
        .startsWith("rules.yaml:4: not valid YAML:");
    assertThat(errors("")).containsExactly("rules.yaml:1: the file is empty; it needs a 'rules:' list");
    assertThat(errors("rules: []\n")).containsExactly("rules.yaml:1: 'rules' is empty");
    assertThat(errors("rule:\n  - id: a\n")).containsExactly(
        "rules.yaml:1: rules file: unknown key 'rule' (did you mean 'rules'?); the top level takes: defaults, rules",
        "rules.yaml:1: no 'rules:' list");
    assertThat(errors("rules:\n  - id: a\n    id: b\n    kind: absence\n    missed: 2\n")).containsExactly(
        "rules.yaml:3: rule #1: key 'id' appears twice (first at line 2)");
  }

  @Test
  void aMissingFileIsOneLine() {
    assertThatThrownBy(() -> RulesParser.parse(Path.of("/nonexistent/rules.yaml")))
        .isInstanceOf(RulesException.class)
        .hasMessageStartingWith("/nonexistent/rules.yaml:0: cannot read the rules file");
  }

  @Test
  void whereFiltersSelectSummaries() throws Exception {
    SummaryRule r = (SummaryRule) parse("""
        rules:
          - id: x
            kind: threshold
            source: workload
            where: {scope: [host, container], host: web-1}
            figure: exec_per_s
            above: 1
        """).rule("x");
    assertThat(r.filter().scopes()).isEqualTo(Set.of(Scope.HOST, Scope.CONTAINER));
    assertThat(r.filter().hosts()).containsExactly("web-1");
  }

  @Test
  void durationsAreWrittenAsOnEveryCommandLine() throws Exception {
    RuleSet set = parse("""
        defaults:
          update-every: 1h30m
          resolve-after: PT10M
        rules:
          - id: p
            kind: pattern
            pattern: short-lived-burst
            count: 5
            within: 1.5s
          - id: l
            kind: threshold
            source: latency
            figure: p99
            above: 250us
        """);
    assertThat(set.rule("p").policy().updateEveryNs()).isEqualTo(5_400_000_000_000L);
    assertThat(set.rule("p").policy().resolveAfterMs()).isEqualTo(600_000L);
    assertThat(((PatternSpec.ShortLivedBurst) ((PatternRule) set.rule("p")).spec()).withinNs()).isEqualTo(1_500_000_000L);
    assertThat(((SummaryRule) set.rule("l")).condition()).isEqualTo(new Condition.Threshold(Comparison.ABOVE, 250_000, 250_000));
  }

  @Test
  void numbersThatAreNotFiniteAndDurationsBeyondAYearAreRefused() {
    String rule = """
        rules:
          - id: a
            kind: threshold
            source: workload
            figure: exec_per_s
            above: %s
            update-every: %s
        """;
    assertThat(errors(rule.formatted("NaN", "1m"))).containsExactly(
        "rules.yaml:6: rule 'a': 'above' must be a finite number, not 'NaN'");
    assertThat(errors(rule.formatted("-Infinity", "1m"))).containsExactly(
        "rules.yaml:6: rule 'a': 'above' must be a finite number, not '-Infinity'");
    assertThat(errors(rule.formatted("1e400", "1m"))).containsExactly(
        "rules.yaml:6: rule 'a': 'above' must be a finite number, not '1e400'");
    assertThat(errors(rule.formatted("10", "367d"))).containsExactly(
        "rules.yaml:7: rule 'a': 'update-every' must be at most a year (8784h), not '367d'");
    assertThat(errors(rule.formatted("10", "99999999999999999999h"))).containsExactly(
        "rules.yaml:7: rule 'a': 'update-every': '99999999999999999999h' is too long a duration (at most 292 years)");
  }

  @Test
  void aValueWithALineBreakStaysOnOneLineInTheError() {
    assertThat(errors("rules:\n  - id: \"a\\nb\"\n    kind: absence\n    missed: 3\n")).containsExactly(
        "rules.yaml:2: rule #1: id 'a\\u000ab' must be lower-case letters, digits, '.', '_' or '-'");
  }
}

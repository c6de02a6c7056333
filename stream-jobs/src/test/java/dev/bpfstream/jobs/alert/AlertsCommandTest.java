package dev.bpfstream.jobs.alert;

import static dev.bpfstream.jobs.alert.Records.SECOND;
import static dev.bpfstream.jobs.alert.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import dev.bpfstream.event.Severity;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.JobsMain;
import dev.bpfstream.jobs.TopicWriter;
import dev.bpfstream.schema.Topic;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(KafkaBrokerExtension.class)
class AlertsCommandTest {

  record Run(int exit, String out, String err) {
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = JobsMain.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Alert alert(String rule, AlertState state, long t, String message) {
    return Alert.newBuilder().setAlertId(rule + "/host=web-1").setRuleId(rule).setSeverity(Severity.CRITICAL).setState(state)
        .setHostId("web-1").setSubject("host web-1").setFigure("exec").setValue(1.0).setThreshold(null)
        .setWindowStartNs(t).setWindowEndNs(t).setFirstSeenNs(T0).setLastSeenNs(t).setMessage(message)
        .setEvidence(List.of("pid 42 (sh) uid 1000 ppid 1: sh -c x")).build();
  }

  @Test
  void tailPrintsTheFeedOneAlertALineWithItsEvidenceAndReportsUnreadableRecords(TestBroker broker) {
    String prefix = "tail" + UUID.randomUUID().toString().substring(0, 8) + ".";
    try (TopicWriter w = new TopicWriter(broker, prefix)) {
      w.send("ww/host=web-1", alert("ww", AlertState.FIRING, T0, "pid 42 (sh) executed /tmp/x"));
      w.sendRaw(Topic.ALERTS, "junk", new byte[] {(byte) 0xC3, 0x01, 0, 0});
      w.send("other/host=web-1", alert("other", AlertState.FIRING, T0 + SECOND, "something else"));
      w.send("ww/host=web-1", alert("ww", AlertState.RESOLVED, T0 + 2 * SECOND, "resolved: quiet"));
      w.flush();
    }
    Run r = run("alerts", "tail", "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", prefix,
        "--from-beginning", "--rule", "ww", "--max", "2");
    assertThat(r.exit()).as("an unreadable record makes the exit status 1").isEqualTo(1);
    assertThat(r.out().lines().toList()).containsExactly(
        "2023-11-14 22:13:20Z FIRING   CRITICAL ww: pid 42 (sh) executed /tmp/x [value 1, threshold -] {ww/host=web-1}",
        "    - pid 42 (sh) uid 1000 ppid 1: sh -c x",
        "2023-11-14 22:13:22Z RESOLVED CRITICAL ww: resolved: quiet [value 1, threshold -] {ww/host=web-1}",
        "    - pid 42 (sh) uid 1000 ppid 1: sh -c x");
    assertThat(r.err()).startsWith("alerts tail: skipped unreadable record at " + prefix + "alerts/0@1: truncated header: 4 of 10 bytes");

    Run json = run("alerts", "tail", "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", prefix,
        "--from-beginning", "--rule", "other", "--json", "--idle-exit", "2s");
    assertThat(json.out().lines().toList()).singleElement().asString()
        .startsWith("{\"alertId\":\"other/host=web-1\",\"ruleId\":\"other\",\"severity\":\"CRITICAL\",\"state\":\"FIRING\"");
  }

  @Test
  void anInvalidRulesFileIsRefusedAtStartWithFileLineAndReason(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(rules, """
        rules:
          - id: x
            kind: threshold
            source: latency
            figure: p99
            above: 50
        """);
    Run r = run("alerts", "run", "--rules", rules.toString(), "--bootstrap-servers", "127.0.0.1:1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().toList()).containsExactly(
        rules + ":6: rule 'x': 'above' needs a unit for a latency figure (ns, us, ms, s), e.g. 50ms",
        "alerts: " + rules + " refused (1 problem); nothing started");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void theAlertsJobTakesTheJobOptionsWithItsOwnDefaults() {
    AlertsCommand.Run run = new AlertsCommand.Run();
    CommandLine cmd = new CommandLine(run);
    cmd.parseArgs();
    JobSettings s = run.options.settings("alerts");
    assertThat(s.startFromEarliest()).as("alerts about what happens from now on").isFalse();
    assertThat(s.guarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThat(s.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.groupId()).isEqualTo("bpfstream-alerts");
    assertThat(cmd.getUsageMessage()).contains("(default 10s)").contains("(default at-least-once)").contains("--from, --start");

    cmd.parseArgs("--start", "earliest", "--at-least-once", "--checkpoint-interval", "2s", "--group-id", "g", "--bootstrap", "k:1");
    s = run.options.settings("alerts");
    assertThat(s.startFromEarliest()).isTrue();
    assertThat(s.checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.groupId()).isEqualTo("g");
    assertThat(s.bootstrapServers()).isEqualTo("k:1");
    cmd.parseArgs("--delivery", "exactly-once");
    assertThat(run.options.settings("alerts").guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
  }

  @Test
  void theBuiltInRulesAreTheShippedFile() {
    Run r = run("alerts", "check");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("built-in conf/rules.yaml: 10 rules {absence=1, pattern=5, rate-of-change=1, sustained=1, threshold=2}");
  }

  @Test
  void checkSaysWhatAGoodRulesFileHolds() {
    Run r = run("alerts", "check", "../conf/rules.yaml");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("../conf/rules.yaml: 10 rules {absence=1, pattern=5, rate-of-change=1, sustained=1, threshold=2}, reading "
        + "[bpf.exec, bpf.exit, bpf.ns.lifecycle, ns.metadata, collector.health, agg.workload, agg.latency]" + System.lineSeparator());
  }
}

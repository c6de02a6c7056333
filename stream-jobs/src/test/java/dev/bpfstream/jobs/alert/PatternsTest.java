package dev.bpfstream.jobs.alert;

import static dev.bpfstream.jobs.alert.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.jobs.alert.rule.PatternRule;
import dev.bpfstream.jobs.alert.rule.PatternSpec;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import dev.bpfstream.jobs.alert.rule.RulesParser;
import org.junit.jupiter.api.Test;

class PatternsTest {
  final RuleSet rules;

  PatternsTest() throws Exception {
    rules = RulesParser.parse("test.yaml", """
        rules:
          - id: ww
            kind: pattern
            pattern: exec-from-world-writable-dir
            allow: [/tmp/allowed/]
          - id: ww-no-sticky
            kind: pattern
            pattern: exec-from-world-writable-dir
            ignore-sticky: true
          - id: suid
            kind: pattern
            pattern: setuid-root-exec
            allow: [/usr/bin/sudo]
          - id: userns
            kind: pattern
            pattern: userns-root-to-nonroot
        """);
  }

  List<Observation> exec(String ruleId, ProcessExec e) {
    List<Observation> out = new ArrayList<>();
    new ExecPatterns(List.of((PatternRule) rules.rule(ruleId))).flatMap(e, new AlertLifecycleTest.ListCollector<>(out));
    return out;
  }

  @Test
  void execFromAWorldWritableDirectoryMatchesAndOtherExecsDoNot() {
    List<Observation> hit = exec("ww", Records.exec("web-1", "c0ffee1234567890", 1000, "/tmp/payload", 0755, 1000, 01777, T0));
    assertThat(hit).singleElement().satisfies(o -> {
      assertThat(o.alertId).isEqualTo("ww/host=web-1/container=c0ffee1234567890/dir=/tmp");
      assertThat(o.matched).isTrue();
      assertThat(o.containerId).isEqualTo("c0ffee1234567890");
      assertThat(o.message).isEqualTo("pid 4242 (payload) uid 1000 executed /tmp/payload from world-writable /tmp (mode 1777) in container c0ffee123456 on host web-1");
      assertThat(o.evidence).containsExactly("pid 4242 (payload) uid 1000 ppid 1: payload -x", "file /tmp/payload mode 755 owner uid 1000");
    });
    assertThat(exec("ww", Records.exec("web-1", null, 0, "/dev/shm/x", 0755, 0, 0777, T0))).hasSize(1);
    // 0775: group-writable, not world-writable
    assertThat(exec("ww", Records.exec("web-1", null, 0, "/srv/x", 0755, 0, 0775, T0))).isEmpty();
    assertThat(exec("ww", Records.exec("web-1", null, 0, "/usr/bin/ls", 0755, 0, 0755, T0))).isEmpty();
    assertThat(exec("ww", Records.exec("web-1", null, 0, "/x", 0755, 0, 0, T0))).as("directory mode unknown").isEmpty();
    assertThat(exec("ww", Records.exec("web-1", null, 0, "/tmp/allowed/x", 0755, 0, 01777, T0))).as("allowed prefix").isEmpty();
    assertThat(exec("ww-no-sticky", Records.exec("web-1", null, 0, "/tmp/x", 0755, 0, 01777, T0))).as("sticky ignored").isEmpty();
    assertThat(exec("ww-no-sticky", Records.exec("web-1", null, 0, "/srv/drop/x", 0755, 0, 0777, T0))).hasSize(1);
    ProcessExec failed = Records.exec("web-1", null, 0, "/tmp/x", 0755, 0, 01777, T0);
    failed.setRetval(-13);
    assertThat(exec("ww", failed)).as("a failed exec").isEmpty();
  }

  @Test
  void setuidRootExecByAnUnprivilegedCallerMatches() {
    assertThat(exec("suid", Records.exec("web-1", null, 1000, "/usr/local/bin/rootme", 04755, 0, 0755, T0)))
        .singleElement().satisfies(o -> {
          assertThat(o.alertId).isEqualTo("suid/host=web-1/container=-/file=/usr/local/bin/rootme");
          assertThat(o.message).isEqualTo("pid 4242 (rootme) uid 1000 executed setuid-root /usr/local/bin/rootme in the host on host web-1");
        });
    assertThat(exec("suid", Records.exec("web-1", null, 0, "/usr/local/bin/rootme", 04755, 0, 0755, T0))).as("root caller").isEmpty();
    assertThat(exec("suid", Records.exec("web-1", null, 1000, "/usr/local/bin/mine", 04755, 1000, 0755, T0))).as("setuid, not root's").isEmpty();
    assertThat(exec("suid", Records.exec("web-1", null, 1000, "/usr/bin/ls", 0755, 0, 0755, T0))).as("not setuid").isEmpty();
    assertThat(exec("suid", Records.exec("web-1", null, 1000, "/usr/bin/sudo", 04755, 0, 0755, T0))).as("allowed").isEmpty();
  }

  @Test
  void aUserNamespaceMappingRootToANonRootUidMatchesAndItsRemovalEndsIt() {
    List<Observation> out = new ArrayList<>();
    var mapping = new UserNamespaceMapping(rules.patternRules(PatternSpec.UserNamespaceRootMapping.class));
    var c = new AlertLifecycleTest.ListCollector<>(out);
    mapping.flatMap(Records.userNs("web-1", 4026532999L, 0, 1000, false, T0), c);
    mapping.flatMap(Records.userNs("web-1", 4026532998L, 0, 0, false, T0), c);        // root to root
    mapping.flatMap(Records.userNs("web-1", 4026532997L, 1, 100000, false, T0), c);   // does not map uid 0
    mapping.flatMap(Records.userNs("web-1", 4026532999L, 0, 1000, true, T0 + 1), c);  // gone
    assertThat(out).extracting(o -> o.alertId, o -> o.matched).containsExactly(
        org.assertj.core.groups.Tuple.tuple("userns/host=web-1/userns=4026532999", true),
        org.assertj.core.groups.Tuple.tuple("userns/host=web-1/userns=4026532999", false));
    assertThat(out.get(0).message).isEqualTo("user namespace 4026532999 maps uid 0 to uid 1000 on host web-1 (the host)");
    assertThat(out.get(0).evidence).contains("uid_map: 0 1000 1", "member pid 777, 1 processes");
    assertThat(UserNamespaceMapping.outsideUidOfRoot(List.of(new dev.bpfstream.event.IdMapEntry(0L, 100000L, 65536L)))).isEqualTo(100000);
  }
}

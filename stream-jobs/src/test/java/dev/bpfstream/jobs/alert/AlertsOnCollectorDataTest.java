package dev.bpfstream.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.collector.Collector;
import dev.bpfstream.collector.CollectorConfig;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.probe.ProbeSettings;
import dev.bpfstream.collector.sink.KafkaEventSink;
import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import dev.bpfstream.jobs.FlinkTarget;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import dev.bpfstream.jobs.alert.rule.RulesParser;
import dev.bpfstream.jobs.testing.FlinkCluster;
import dev.bpfstream.schema.Topic;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real kernel events to alerts: the collector's BPF probes on this host produce to the broker, the
 * alerts job reads them on a MiniCluster. The test execs a program from a world-writable directory
 * and, as an unprivileged user, makes a user namespace mapping uid 0 to itself ({@code unshare -U -r}).
 */
@ExtendWith(KafkaBrokerExtension.class)
class AlertsOnCollectorDataTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.withSlots(2);

  static final String RULES = """
      rules:
        - id: ww
          kind: pattern
          severity: critical
          pattern: exec-from-world-writable-dir
          resolve-after: 2s
        - id: userns
          kind: pattern
          pattern: userns-root-to-nonroot
      """;

  @BeforeAll
  static void prerequisites() {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    Prerequisites.requireCommand("unshare", "util-linux");
    Prerequisites.requireCommand("setpriv", "util-linux");
  }

  @Test
  void execFromAWorldWritableDirectoryAndAnUnprivilegedRootMappedUserNamespaceRaiseAlerts(TestBroker broker, @TempDir Path tmp)
      throws Exception {
    String prefix = "e2e" + UUID.randomUUID().toString().substring(0, 8) + ".";
    RuleSet rules = RulesParser.parse("e2e.yaml", RULES);
    Path drop = Files.createDirectory(tmp.resolve("drop"));
    Files.setPosixFilePermissions(drop, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path program = Files.copy(Path.of("/bin/sleep"), drop.resolve("not-sleep"), StandardCopyOption.COPY_ATTRIBUTES);

    Properties client = new Properties();
    client.putAll(broker.clientProperties());
    CollectorConfig config = CollectorConfig.defaults(List.of("exec", "exit", "nslifecycle"))
        .withHostId("e2e-host").withInterval(Duration.ofSeconds(1)).withScanInterval(Duration.ofSeconds(1));
    List<Alert> got = new ArrayList<>();
    try (KafkaEventSink sink = new KafkaEventSink(new HashMap<>(broker.clientProperties()), "e2e-host", prefix);
         Collector collector = Collector.start(config, sink);
         AlertFeed feed = new AlertFeed(client, prefix + Topic.ALERTS.topicName(), true)) {
      StreamExecutionEnvironment env = FlinkTarget.environment(null);
      env.setParallelism(1);
      AlertJob.fromKafka(rules, JobSettings.defaults(broker.bootstrapServers(), "alerts").withPrefixAndGroup(prefix, "e2e", prefix)
          .withStartAndDelivery(true, DeliveryGuarantee.AT_LEAST_ONCE), null).build(env);
      JobClient job = env.executeAsync("alerts-e2e");
      try {
        // lives 1 s, so the collector can still see its directory through /proc/PID/root
        Process exec = new ProcessBuilder(program.toString(), "1").start();
        Process userns = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            "unshare", "--user", "--map-root-user", "sleep", "3").redirectErrorStream(true).start();
        long inode = userNamespaceOf(userns.pid());
        assertThat(exec.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(userns.waitFor(10, TimeUnit.SECONDS)).as(new String(userns.getInputStream().readAllBytes())).isTrue();
        assertThat(userns.exitValue()).isZero();

        String wwId = "ww/host=e2e-host/container=-/dir=" + drop;
        String usernsId = "userns/host=e2e-host/userns=" + inode;
        AlertJobTest.await(feed, got, g -> AlertJobTest.ids(g, AlertState.FIRING).containsAll(List.of(wwId, usernsId))
            && AlertJobTest.ids(g, AlertState.RESOLVED).contains(wwId));
        Alert ww = got.stream().filter(a -> a.getAlertId().equals(wwId) && a.getState() == AlertState.FIRING).findFirst().orElseThrow();
        assertThat(ww.getMessage()).contains("executed " + program + " from world-writable " + drop + " (mode 777)");
        assertThat(ww.getEvidence()).anyMatch(e -> e.contains("not-sleep 1"));
        Alert u = got.stream().filter(a -> a.getAlertId().equals(usernsId)).findFirst().orElseThrow();
        assertThat(u.getMessage()).contains("user namespace " + inode + " maps uid 0 to uid 65534 on host");
      } finally {
        job.cancel().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** The user namespace inode of a process, once it has left the initial one (unshare takes a moment). */
  static long userNamespaceOf(long pid) throws Exception {
    long initial = inode("/proc/self/ns/user");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      long ns = inode("/proc/" + pid + "/ns/user");
      if (ns != initial) {
        return ns;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("process " + pid + " never entered a new user namespace");
  }

  static long inode(String link) throws Exception {
    String l = Files.readSymbolicLink(Path.of(link)).toString();
    return Long.parseLong(l.substring(l.indexOf('[') + 1, l.length() - 1));
  }
}

package dev.bpfstream.jobs.alert;

import static dev.bpfstream.jobs.alert.Records.MS;
import static dev.bpfstream.jobs.alert.Records.SECOND;
import static dev.bpfstream.jobs.alert.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.Scope;
import dev.bpfstream.jobs.FlinkTarget;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.TopicWriter;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import dev.bpfstream.jobs.alert.rule.RulesParser;
import dev.bpfstream.jobs.testing.FlinkCluster;
import dev.bpfstream.schema.Topic;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole alerts job on a MiniCluster against the in-process broker: every rule kind fires on
 * data that should trigger it and stays silent on data just short of it, one FIRING per alert,
 * RESOLVED records in band, on quiet and on the host's return; exactly-once to the alerts topic and
 * the webhook alongside.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AlertJobTest {
  static final long W = SECOND;

  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.withSlots(2);

  static final String RULES = """
      defaults:
        stale-windows: 2
        resolve-after: 1s
      rules:
        - id: blockio-p99
          kind: threshold
          severity: critical
          source: latency
          where: {kind: block-io, scope: host}
          figure: p99
          above: 50ms
          clear-below: 40ms
        - id: runq-sustained
          kind: sustained
          source: latency
          where: {kind: runq}
          figure: p99
          above: 10ms
          windows: 2
        - id: exec-spike
          kind: rate-of-change
          source: workload
          where: {scope: container}
          figure: exec_per_s
          factor: 10
          baseline-windows: 3
        - id: ww
          kind: pattern
          severity: critical
          pattern: exec-from-world-writable-dir
        - id: userns
          kind: pattern
          pattern: userns-root-to-nonroot
          resolve-after: 1m
        - id: setns
          kind: pattern
          pattern: setns-into-other-container
        - id: burst
          kind: pattern
          pattern: short-lived-burst
          count: 3
          within: 1s
          max-lifetime: 100ms
        - id: silent
          kind: absence
          silent-for: 1s
      """;

  @Test
  void everyRuleKindFiresOnceOnTriggeringDataStaysSilentJustShortOfItAndResolves(TestBroker broker) throws Exception {
    String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    RuleSet rules = RulesParser.parse("job-test.yaml", RULES);
    try (TopicWriter w = new TopicWriter(broker, prefix)) {
      for (int i = 0; i < 3; i++) {
        // host a: block p99 80, 90 then 30 ms (resolves in band); host b: 49.9 ms, just below
        w.send("a", Records.latency(LatencyKind.BLOCK_IO, "a", "vda", T0 + i * W, W, i < 2 ? (80 + 10 * i) * MS : 30 * MS));
        w.send("b", Records.latency(LatencyKind.BLOCK_IO, "b", "vda", T0 + i * W, W, 49_900_000L));
      }
      // run queue: host a above 10 ms for 2 windows; host b above, below, above
      w.send("a", Records.latency(LatencyKind.RUNQ, "a", "all", T0, W, 12 * MS));
      w.send("a", Records.latency(LatencyKind.RUNQ, "a", "all", T0 + W, W, 12 * MS));
      w.send("b", Records.latency(LatencyKind.RUNQ, "b", "all", T0, W, 12 * MS));
      w.send("b", Records.latency(LatencyKind.RUNQ, "b", "all", T0 + W, W, 9 * MS));
      w.send("b", Records.latency(LatencyKind.RUNQ, "b", "all", T0 + 2 * W, W, 12 * MS));
      // exec rate: container c1 x15 after 3 windows of 2/s; c2 x9.5
      double[] c1 = {2, 2, 2, 30};
      double[] c2 = {2, 2, 2, 19};
      for (int i = 0; i < 4; i++) {
        w.send("a", Records.workload(Scope.CONTAINER, "a", "c1", T0 + i * W, W, Map.of("exec_per_s", c1[i])));
        w.send("a", Records.workload(Scope.CONTAINER, "a", "c2", T0 + i * W, W, Map.of("exec_per_s", c2[i])));
      }
      // exec patterns: /tmp twice (one alert), an unreadable record in between, and ordinary execs
      w.send("a", Records.exec("a", null, 1000, "/tmp/x", 0755, 1000, 01777, T0));
      w.sendRaw(Topic.EXEC, "a", new byte[] {1, 2, 3});
      w.send("a", Records.exec("a", null, 1000, "/tmp/x", 0755, 1000, 01777, T0 + 100 * MS));
      w.send("a", Records.exec("a", null, 1000, "/usr/bin/ls", 0755, 0, 0755, T0 + 200 * MS));
      // user namespaces: 0 -> 1000 (alert, then gone), 0 -> 0 (none)
      w.send("a", Records.userNs("a", 4026532001L, 0, 1000, false, T0));
      w.send("a", Records.userNs("a", 4026532002L, 0, 0, false, T0));
      // setns: namespace 100 belongs to container web; the host enters it; web enters its own
      w.send("a", Records.namespace("a", NamespaceKind.NET, 100L, "web", T0));
      w.flush();
      w.send("a", Records.setns("a", null, NamespaceKind.NET, Records.HOST_NET, 100L, 0, T0 + SECOND));
      w.send("a", Records.setns("a", "web", NamespaceKind.NET, 100L, 100L, 0, T0 + SECOND));
      // bursts: host a 3 exits under 100 ms within 1 s; host b 2 short and 1 long-lived
      for (int i = 0; i < 3; i++) {
        w.send("a", Records.exit("a", null, "true", 5 * MS, T0 + i * 200 * MS));
        w.send("b", Records.exit("b", null, "true", i == 2 ? 150 * MS : 5 * MS, T0 + i * 200 * MS));
      }
      // collector health: host a reports once, then goes quiet
      w.send("a", Records.health("a", T0, SECOND));
      w.flush();
    }

    Properties client = new Properties();
    client.putAll(broker.clientProperties());
    // as `alerts run` gets it: the MiniCluster of the test, with the project's settings
    StreamExecutionEnvironment env = FlinkTarget.environment(null);
    env.setParallelism(1);
    env.enableCheckpointing(500);
    assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).as("a Kryo fallback would fail the job").isTrue();
    List<Alert> got = new ArrayList<>();
    try (LoopbackWebhook hook = new LoopbackWebhook(n -> n == 1 ? 503 : 200);
         AlertFeed feed = new AlertFeed(client, prefix + Topic.ALERTS.topicName(), true)) {
      AlertJob.fromKafka(rules, JobSettings.defaults(broker.bootstrapServers(), "alerts").withPrefixAndGroup(prefix, "alert-job-test", prefix),
          new WebhookSink(new WebhookClient.Settings(hook.url(), 3, 50, 100, 2_000))).build(env);
      JobClient job = env.executeAsync("alerts-test");
      try {
        Set<String> firing = Set.of(
            "blockio-p99/latency=BLOCK_IO/scope=HOST/host=a/device=vda",
            "runq-sustained/latency=RUNQ/scope=HOST/host=a/all=all",
            "exec-spike/host=a/container=c1",
            "ww/host=a/container=-/dir=/tmp",
            "userns/host=a/userns=4026532001",
            "setns/host=a/from=-/to=web",
            "burst/host=a",
            "silent/host=a");
        await(feed, got, g -> ids(g, AlertState.FIRING).containsAll(firing)
            && ids(g, AlertState.RESOLVED).containsAll(Set.of(firing.stream().filter(i -> i.startsWith("blockio")).findFirst().get(),
                "ww/host=a/container=-/dir=/tmp")));
        // the user namespace goes away, host a reports again
        try (TopicWriter w = new TopicWriter(broker, prefix)) {
          w.send("a", Records.userNs("a", 4026532001L, 0, 1000, true, T0 + 5 * SECOND));
          w.send("a", Records.health("a", T0 + 5 * SECOND, SECOND));
          w.flush();
        }
        await(feed, got, g -> ids(g, AlertState.RESOLVED).containsAll(Set.of("userns/host=a/userns=4026532001", "silent/host=a")));

        assertThat(ids(got, AlertState.FIRING)).as("nothing fired on data short of a rule").isEqualTo(firing);
        Map<String, Long> firings = got.stream().filter(a -> a.getState() == AlertState.FIRING)
            .collect(Collectors.groupingBy(Alert::getAlertId, Collectors.counting()));
        assertThat(firings.values()).as("one FIRING per alert").containsOnly(1L);
        Alert ww = got.stream().filter(a -> a.getAlertId().startsWith("ww/")).findFirst().get();
        assertThat(ww.getFirstSeenNs()).isEqualTo(T0);
        Alert wwResolved = got.stream().filter(a -> a.getAlertId().startsWith("ww/") && a.getState() == AlertState.RESOLVED).findFirst().get();
        assertThat(wwResolved.getLastSeenNs()).as("both matching execs counted in one alert").isEqualTo(T0 + 100 * MS);
        Alert spike = got.stream().filter(a -> a.getAlertId().startsWith("exec-spike/")).findFirst().get();
        assertThat(spike.getValue()).isEqualTo(30.0);
        assertThat(spike.getThreshold()).isEqualTo(20.0);
        assertThat(spike.getContainerId()).isEqualTo("c1");
        Alert userns = got.stream().filter(a -> a.getAlertId().startsWith("userns/") && a.getState() == AlertState.RESOLVED).findFirst().get();
        assertThat(userns.getMessage()).isEqualTo("resolved: user namespace 4026532001 is gone");
        // the webhook got every alert record too, after refusing the first attempt once
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hook.bodies.size() < got.size() && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(hook.bodies).hasSizeGreaterThanOrEqualTo(got.size());
        assertThat(hook.bodies).anyMatch(b -> b.contains("\"alertId\":\"setns/host=a/from=-/to=web\""));
      } finally {
        job.cancel().get(30, TimeUnit.SECONDS);
      }
    }
    assertThat(got).noneMatch(a -> a.getHostId() != null && a.getHostId().equals("b"));
  }

  static Set<String> ids(List<Alert> alerts, AlertState state) {
    return alerts.stream().filter(a -> a.getState() == state).map(Alert::getAlertId).collect(Collectors.toSet());
  }

  static void await(AlertFeed feed, List<Alert> got, Predicate<List<Alert>> done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!done.test(got)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("alerts so far: " + got.stream().map(a -> a.getState() + " " + a.getAlertId()).toList());
      }
      feed.poll(Duration.ofMillis(300), a -> true, got::add, msg -> {
        throw new AssertionError(msg);
      });
    }
  }
}

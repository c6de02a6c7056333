package dev.bpfstream.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.sink.KafkaEventSink;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.HostMetrics;
import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.event.NamespaceSyscall;
import dev.bpfstream.event.NamespaceTransition;
import dev.bpfstream.event.ProbeHealth;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.schema.Topic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The collector on the real kernel producing to the real broker, checked from the consumer side. */
@ExtendWith(KafkaBrokerExtension.class)
class CollectorKafkaTest {

  @BeforeAll
  static void bpfAvailable() {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    Prerequisites.requireCommand("unshare", "util-linux");
  }

  @Test
  void aProcessInNewNamespacesIsAttributedToThemFromExecToExit(TestBroker broker) throws Exception {
    String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    CollectorConfig config = CollectorConfig.defaults(List.of("exec", "exit", "nslifecycle"))
        .withHostId("test-host").withInterval(Duration.ofSeconds(1)).withScanInterval(Duration.ofSeconds(1));
    Map<String, String> seenInside;
    long shellPid;
    try (KafkaEventSink sink = new KafkaEventSink(new HashMap<>(broker.clientProperties()), "test-host", prefix);
         Collector collector = Collector.start(config, sink)) {
      Process p = new ProcessBuilder("unshare", "--uts", "--pid", "--net", "--mount", "--fork", "--mount-proc",
          "sh", "-c", "hostname probe-ns; readlink /proc/self/ns/uts /proc/self/ns/pid /proc/self/ns/net /proc/self/ns/mnt; exec /bin/true")
          .redirectErrorStream(true).start();
      List<String> lines;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        lines = r.lines().collect(Collectors.toList());
      }
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
      seenInside = lines.stream().filter(l -> l.contains(":[")).collect(Collectors.toMap(
          l -> l.substring(0, l.indexOf(':')), l -> l.substring(l.indexOf('[') + 1, l.length() - 1)));
      shellPid = p.pid();
      Thread.sleep(2500); // the next namespace scan reads the name the shell gave its UTS namespace
    }

    long uts = Long.parseLong(seenInside.get("uts"));
    long pidNs = Long.parseLong(seenInside.get("pid"));
    long net = Long.parseLong(seenInside.get("net"));
    long mnt = Long.parseLong(seenInside.get("mnt"));
    long hostUts = inode("/proc/self/ns/uts");
    assertThat(uts).isNotEqualTo(hostUts);
    assertThat(pidNs).isNotEqualTo(inode("/proc/self/ns/pid"));

    // Inode numbers are reused once a namespace dies, so the parent (unshare, which forked the shell) pins the process.
    List<ProcessExec> execs = KafkaTopics.readUntil(broker, prefix, Topic.EXEC, ProcessExec.class,
        l -> l.stream().anyMatch(e -> e.getFilename().equals("/bin/true") && e.getCtx().getNs().getUts() == uts && e.getCtx().getPpid() == shellPid),
        Duration.ofSeconds(30));
    ProcessExec trueExec = execs.stream()
        .filter(e -> e.getFilename().equals("/bin/true") && e.getCtx().getNs().getUts() == uts && e.getCtx().getPpid() == shellPid).findFirst().orElseThrow();
    assertThat(trueExec.getCtx().getNs().getPid()).isEqualTo(pidNs);
    assertThat(trueExec.getCtx().getNs().getNet()).isEqualTo(net);
    assertThat(trueExec.getCtx().getNs().getMnt()).isEqualTo(mnt);
    assertThat(trueExec.getCtx().getHostId()).isEqualTo("test-host");
    int truePid = trueExec.getCtx().getPid();

    List<ProcessExit> exits = KafkaTopics.readUntil(broker, prefix, Topic.EXIT, ProcessExit.class,
        l -> l.stream().anyMatch(e -> e.getCtx().getPid() == truePid), Duration.ofSeconds(30));
    ProcessExit exit = exits.stream().filter(e -> e.getCtx().getPid() == truePid).findFirst().orElseThrow();
    assertThat(exit.getExitCode()).isZero();
    assertThat(exit.getSignal()).isZero();
    assertThat(exit.getLifetimeNs()).isPositive();
    assertThat(exit.getCtx().getNs().getUts()).isEqualTo(uts);

    List<NamespaceChange> changes = KafkaTopics.readUntil(broker, prefix, Topic.NS_LIFECYCLE, NamespaceChange.class,
        l -> l.stream().anyMatch(c -> c.getSyscall() == NamespaceSyscall.UNSHARE && changed(c, NamespaceKind.UTS) == uts)
            && l.stream().anyMatch(c -> changed(c, NamespaceKind.PID) == pidNs),
        Duration.ofSeconds(30));
    NamespaceChange unshare = changes.stream()
        .filter(c -> c.getSyscall() == NamespaceSyscall.UNSHARE && changed(c, NamespaceKind.UTS) == uts).findFirst().orElseThrow();
    assertThat(changed(unshare, NamespaceKind.NET)).isEqualTo(net);
    assertThat(changed(unshare, NamespaceKind.MNT)).isNotEqualTo(-1);
    assertThat(unshare.getCtx().getNs().getUts()).isEqualTo(hostUts);
    assertThat(unshare.getChanges()).allMatch(NamespaceTransition::getCreated);
    // unshare --pid gives the new pid namespace to the next child: seen at its fork.
    NamespaceChange fork = changes.stream().filter(c -> changed(c, NamespaceKind.PID) == pidNs).findFirst().orElseThrow();
    assertThat(fork.getSyscall()).isIn(NamespaceSyscall.CLONE, NamespaceSyscall.CLONE3);

    List<NamespaceMetadata> metadata = KafkaTopics.readUntil(broker, prefix, Topic.NS_METADATA, NamespaceMetadata.class,
        l -> l.stream().anyMatch(m -> m.getKind() == NamespaceKind.UTS && m.getInode() == uts && "probe-ns".equals(m.getNodename())),
        Duration.ofSeconds(30));
    assertThat(metadata).anyMatch(m -> m.getKind() == NamespaceKind.UTS && m.getInode() == uts
        && m.getSource() == dev.bpfstream.event.MetadataSource.LIFECYCLE);
    // The pid namespace lived a few ms: it is known by kind and inode at least, from its lifecycle event.
    assertThat(metadata).anyMatch(m -> m.getKind() == NamespaceKind.PID && m.getInode() == pidNs);

    List<CollectorHealth> health = KafkaTopics.readUntil(broker, prefix, Topic.HEALTH, CollectorHealth.class,
        l -> !l.isEmpty(), Duration.ofSeconds(30));
    ProbeHealth execHealth = health.get(health.size() - 1).getProbes().stream()
        .filter(h -> h.getProbe().equals("exec")).findFirst().orElseThrow();
    assertThat(execHealth.getAttached()).isTrue();
    assertThat(execHealth.getDelivered()).isPositive();
    assertThat(execHealth.getAttempted()).isEqualTo(execHealth.getDelivered() + execHealth.getLostKernel() + execHealth.getRateLimited());
    assertThat(health.get(health.size() - 1).getCounters()).containsKey("namespaces.scans");

    // The host USE sampler runs by default beside the probes, on the same interval.
    List<HostMetrics> host = KafkaTopics.readUntil(broker, prefix, Topic.HOST_METRICS, HostMetrics.class,
        l -> !l.isEmpty(), Duration.ofSeconds(30));
    assertThat(host.get(0).getHostId()).isEqualTo("test-host");
    assertThat(host.get(0).getCpus()).isNotEmpty();
    assertThat(health.get(health.size() - 1).getCounters()).containsKey("host.samples");
  }

  private static long changed(NamespaceChange c, NamespaceKind kind) {
    return c.getChanges().stream().filter(t -> t.getKind() == kind).mapToLong(NamespaceTransition::getAfter).findFirst().orElse(-1);
  }

  static long inode(String link) throws Exception {
    String l = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of(link)).toString();
    return Long.parseLong(l.substring(l.indexOf('[') + 1, l.length() - 1));
  }
}

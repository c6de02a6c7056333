package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.namespace.NamespaceObserver;
import dev.bpfstream.collector.testing.ChildProcesses;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.NamespaceSyscall;
import dev.bpfstream.event.NamespaceTransition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * nslifecycle against real unshare, setns and clone calls of processes this test starts: which
 * namespaces each made or entered, before and after, and what the namespace inventory is told.
 */
class NamespaceLifecycleProbeTest {
  private static final long SELF = ProcessHandle.current().pid();

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf();
    Prerequisites.requireCommand("unshare", "util-linux");
  }

  @Test
  void unshareCreatesNamespacesSeenBeforeAndAfterAndTellsTheInventory() throws Exception {
    Observed inventory = new Observed();
    try (RunningProbe probe = RunningProbe.start(new NamespaceLifecycleProbe(), inventory)) {
      Process p = new ProcessBuilder("unshare", "--uts", "--net", "--ipc", "sh", "-c",
          "readlink /proc/self/ns/uts /proc/self/ns/net /proc/self/ns/ipc").start();
      Map<String, Long> inside = inodes(p);
      NamespaceChange c = probe.sink().await(NamespaceChange.class,
          r -> r.getCtx().getPid() == p.pid() && r.getSyscall() == NamespaceSyscall.UNSHARE, Duration.ofSeconds(10));
      assertThat(c.getRetval()).isZero();
      assertThat(c.getChanges()).extracting(NamespaceTransition::getKind, NamespaceTransition::getBefore,
          NamespaceTransition::getAfter, NamespaceTransition::getCreated).containsExactlyInAnyOrder(
          tuple(NamespaceKind.UTS, ChildProcesses.nsInode(SELF, "uts"), inside.get("uts"), true),
          tuple(NamespaceKind.NET, ChildProcesses.nsInode(SELF, "net"), inside.get("net"), true),
          tuple(NamespaceKind.IPC, ChildProcesses.nsInode(SELF, "ipc"), inside.get("ipc"), true));
      assertThat(c.getCtx().getNs().getUts()).as("the task's namespaces before the call").isEqualTo(ChildProcesses.nsInode(SELF, "uts"));
      long flags = 0x04000000L | 0x40000000L | 0x08000000L; // CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC
      assertThat(c.getFlags() & flags).isEqualTo(flags);
      assertThat(inventory.changes).anyMatch(i -> i.getCtx().getPid() == p.pid() && i.getSyscall() == NamespaceSyscall.UNSHARE);
    }
  }

  @Test
  void setnsIntoAnotherProcessesNamespacesIsAnEntryNotACreation() throws Exception {
    Prerequisites.requireCommand("nsenter", "util-linux");
    try (ChildProcesses children = new ChildProcesses();
         RunningProbe probe = RunningProbe.start(new NamespaceLifecycleProbe())) {
      long holder = ChildProcesses.await(children.start("unshare", "--uts", "--net", "sleep", "60"), "sleep").pid();
      long uts = ChildProcesses.nsInode(holder, "uts");
      long net = ChildProcesses.nsInode(holder, "net");
      Process enter = new ProcessBuilder("nsenter", "--target", Long.toString(holder), "--uts", "--net", "true").start();
      assertThat(enter.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(enter.exitValue()).isZero();
      // nsenter enters one namespace per setns, or all with one setns on a pidfd: take them together.
      probe.sink().await(NamespaceChange.class, r -> r.getCtx().getPid() == enter.pid() && r.getSyscall() == NamespaceSyscall.SETNS
          && entered(probe, enter.pid()).size() == 2, Duration.ofSeconds(10));
      assertThat(entered(probe, enter.pid())).extracting(NamespaceTransition::getKind, NamespaceTransition::getBefore,
          NamespaceTransition::getAfter, NamespaceTransition::getCreated).containsExactlyInAnyOrder(
          tuple(NamespaceKind.UTS, ChildProcesses.nsInode(SELF, "uts"), uts, false),
          tuple(NamespaceKind.NET, ChildProcesses.nsInode(SELF, "net"), net, false));
    }
  }

  @Test
  void aNewPidNamespaceIsSeenAtTheForkOfItsFirstProcess() throws Exception {
    try (ChildProcesses children = new ChildProcesses();
         RunningProbe probe = RunningProbe.start(new NamespaceLifecycleProbe())) {
      Process unshare = children.start("unshare", "--pid", "--fork", "sleep", "60");
      long first = ChildProcesses.await(unshare, "sleep").pid();
      long pidNs = ChildProcesses.nsInode(first, "pid");
      assertThat(pidNs).isNotEqualTo(ChildProcesses.nsInode(SELF, "pid"));
      NamespaceChange fork = probe.sink().await(NamespaceChange.class, r -> r.getCtx().getPid() == unshare.pid()
          && r.getChanges().stream().anyMatch(t -> t.getKind() == NamespaceKind.PID && t.getAfter() == pidNs), Duration.ofSeconds(10));
      assertThat(fork.getSyscall()).isIn(NamespaceSyscall.CLONE, NamespaceSyscall.CLONE3);
      assertThat(fork.getChanges()).extracting(NamespaceTransition::getKind).containsExactly(NamespaceKind.PID);
      assertThat(fork.getChanges().get(0).getCreated()).isTrue();
      assertThat(fork.getRetval()).as("the parent's clone returns the child's pid").isEqualTo(first);
    }
  }

  @Test
  void aHostnameSetInANewUtsNamespaceReachesTheInventoryEvenAfterItIsGone() throws Exception {
    Observed inventory = new Observed();
    String name = "ns-" + UUID.randomUUID().toString().substring(0, 8);
    try (RunningProbe probe = RunningProbe.start(new NamespaceLifecycleProbe(), inventory)) {
      Process p = new ProcessBuilder("unshare", "--uts", "sh", "-c", "hostname " + name + " && readlink /proc/self/ns/uts").start();
      long uts = inodes(p).get("uts"); // the namespace is gone once the shell exits
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!name.equals(inventory.nodenames.get(uts)) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(inventory.nodenames).containsEntry(uts, name);
      assertThat(probe.counters().parseErrors.sum()).isZero();
    }
  }

  /** Runs {@code p} to its end and reads the "KIND:[INODE]" lines readlink printed. */
  private static Map<String, Long> inodes(Process p) throws Exception {
    List<String> lines;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      lines = r.lines().toList();
    }
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
    return lines.stream().filter(l -> l.contains(":[")).collect(Collectors.toMap(
        l -> l.substring(0, l.indexOf(':')), l -> Long.parseLong(l.substring(l.indexOf('[') + 1, l.length() - 1))));
  }

  private static List<NamespaceTransition> entered(RunningProbe probe, long pid) {
    List<NamespaceTransition> out = new ArrayList<>();
    probe.sink().all(NamespaceChange.class).stream()
        .filter(r -> r.getCtx().getPid() == pid && r.getSyscall() == NamespaceSyscall.SETNS)
        .forEach(r -> out.addAll(r.getChanges()));
    return out;
  }

  /** What the namespace inventory would be told. */
  private static final class Observed implements NamespaceObserver {
    final List<NamespaceChange> changes = new CopyOnWriteArrayList<>();
    final Map<Long, String> nodenames = new ConcurrentHashMap<>();

    @Override
    public void onLifecycle(NamespaceChange change) {
      changes.add(change);
    }

    @Override
    public void onUtsNames(long utsInode, String nodename, String domainname) {
      nodenames.put(utsInode, nodename);
    }
  }
}

package dev.bpfstream.collector.namespace;

import static dev.bpfstream.collector.testing.ChildProcesses.await;
import static dev.bpfstream.collector.testing.ChildProcesses.nsInode;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.testing.ChildProcesses;
import dev.bpfstream.collector.testing.TestCgroup;
import dev.bpfstream.event.IdMapEntry;
import dev.bpfstream.event.MetadataSource;
import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.event.NamespaceSyscall;
import dev.bpfstream.event.NamespaceTransition;
import dev.bpfstream.event.Namespaces;
import dev.bpfstream.event.TaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real namespaces made by unshare(1) children of the test, read from the real /proc. */
class NamespaceScannerTest {
  private static final long SELF = ProcessHandle.current().pid();
  private final List<NamespaceMetadata> out = new ArrayList<>();
  private ChildProcesses children;
  private NamespaceScanner scanner;

  @BeforeEach
  void setUp() {
    Prerequisites.require(Prerequisites.rootMissing());
    children = new ChildProcesses();
    scanner = new NamespaceScanner("host-1", "test-host", out::add);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (scanner != null) {
      scanner.close();
    }
    if (children != null) {
      children.close();
    }
  }

  @Test
  void findsTheNamespacesOfChildrenThenTheirRemoval() throws Exception {
    Process nsChild = children.start("unshare", "--uts", "--pid", "--net", "--mount", "--fork", "--mount-proc",
        "--kill-child", "sh", "-c", "hostname probe-ns; sleep 30");
    // A user namespace made by an unprivileged user: uid 0 inside is nobody (65534) outside.
    Process userChild = children.start("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        "unshare", "-U", "-r", "sleep", "30");
    ProcessHandle sleeper = await(nsChild, "sleep"); // hostname has run
    ProcessHandle userSleeper = await(userChild, "sleep"); // the maps are written
    long uts = nsInode(sleeper.pid(), "uts");
    long pid = nsInode(sleeper.pid(), "pid");
    long net = nsInode(sleeper.pid(), "net");
    long user = nsInode(userSleeper.pid(), "user");
    long hostPid = nsInode(SELF, "pid");
    long hostUser = nsInode(SELF, "user");
    long hostUts = nsInode(SELF, "uts");

    NamespaceScanner.ScanResult first = scanner.scan();

    NamespaceMetadata utsMd = find(NamespaceKind.UTS, uts).orElseThrow();
    assertThat(utsMd.getNodename()).isEqualTo("probe-ns");
    assertThat(utsMd.getOwnerUserNs()).isEqualTo(hostUser);
    assertThat(utsMd.getParent()).isNull();
    // unshare itself is in the new UTS namespace; its descendants (sh, sleep) are in the new pid namespace too
    List<ProcessHandle> inside = nsChild.descendants().toList();
    assertThat(utsMd.getMemberCount()).isEqualTo(1 + inside.size());
    assertThat(utsMd.getSamplePid()).isEqualTo((int) nsChild.pid());
    assertThat(utsMd.getSource()).isEqualTo(MetadataSource.SCAN);
    assertThat(utsMd.getRemoved()).isFalse();
    assertThat(utsMd.getHostId()).isEqualTo("host-1");
    assertThat(utsMd.getHostname()).isEqualTo("test-host");

    NamespaceMetadata pidMd = find(NamespaceKind.PID, pid).orElseThrow();
    assertThat(pidMd.getParent()).isEqualTo(hostPid);
    assertThat(pidMd.getMemberCount()).isEqualTo(inside.size());
    assertThat(pidMd.getSamplePid()).isEqualTo((int) inside.stream().mapToLong(ProcessHandle::pid).min().orElseThrow());
    assertThat(find(NamespaceKind.NET, net)).isPresent();

    NamespaceMetadata userMd = find(NamespaceKind.USER, user).orElseThrow();
    assertThat(userMd.getUidMap()).containsExactly(new IdMapEntry(0L, 65534L, 1L));
    assertThat(userMd.getGidMap()).containsExactly(new IdMapEntry(0L, 65534L, 1L));
    assertThat(userMd.getParent()).isEqualTo(hostUser);
    assertThat(userMd.getOwnerUserNs()).isEqualTo(hostUser);

    NamespaceMetadata hostUtsMd = find(NamespaceKind.UTS, hostUts).orElseThrow();
    assertThat(hostUtsMd.getNodename())
        .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim());
    assertThat(find(NamespaceKind.USER, hostUser).orElseThrow().getParent()).isNull();
    assertThat(find(NamespaceKind.PID, hostPid).orElseThrow().getParent()).isNull();
    assertThat(first.emitted()).isEqualTo(out.size()).isEqualTo(first.namespaces());
    assertThat(first.processes()).isGreaterThan(3);

    // Nothing changed in the children's namespaces: the next scan does not repeat them.
    out.clear();
    scanner.scan();
    assertThat(find(NamespaceKind.UTS, uts)).isEmpty();
    assertThat(find(NamespaceKind.PID, pid)).isEmpty();
    assertThat(find(NamespaceKind.USER, user)).isEmpty();

    children.close();
    out.clear();
    NamespaceScanner.ScanResult after = scanner.scan();
    for (long[] gone : new long[][] {{NamespaceKind.UTS.ordinal(), uts}, {NamespaceKind.PID.ordinal(), pid},
        {NamespaceKind.NET.ordinal(), net}, {NamespaceKind.USER.ordinal(), user}}) {
      NamespaceMetadata r = find(NamespaceKind.values()[(int) gone[0]], gone[1]).orElseThrow();
      assertThat(r.getRemoved()).isTrue();
      assertThat(r.getMemberCount()).isZero();
    }
    NamespaceMetadata utsGone = find(NamespaceKind.UTS, uts).orElseThrow();
    assertThat(utsGone.getNodename()).isEqualTo("probe-ns"); // the last state, marked removed
    assertThat(utsGone.getLastSeenNs()).isLessThan(utsGone.getTimeNs());
    assertThat(after.removed()).isGreaterThanOrEqualTo(4);
    assertThat(scanner.stats().removed()).isEqualTo(after.removed());
  }

  @Test
  void aLaterHostnameIsEmittedAsAChange() throws Exception {
    Process child = children.start("unshare", "--uts", "sh", "-c", "read x; hostname renamed-ns; exec sleep 30");
    await(child, "sh");
    long uts = nsInode(child.pid(), "uts");
    scanner.scan();
    String before = find(NamespaceKind.UTS, uts).orElseThrow().getNodename();
    assertThat(before).isNotEqualTo("renamed-ns");

    child.getOutputStream().write('\n');
    child.getOutputStream().flush();
    await(child, "sleep");
    out.clear();
    scanner.scan();
    NamespaceMetadata changed = find(NamespaceKind.UTS, uts).orElseThrow();
    assertThat(changed.getNodename()).isEqualTo("renamed-ns");
    assertThat(changed.getFirstSeenNs()).isLessThan(changed.getLastSeenNs());
  }

  @Test
  void aLifecycleEventDescribesANewNamespaceAtOnce() throws Exception {
    Process unshared = children.start("unshare", "--uts", "sh", "-c", "hostname lc-ns; exec sleep 30");
    await(unshared, "sleep");
    Process cloned = children.start("unshare", "--ipc", "--fork", "sleep", "30");
    ProcessHandle clonedChild = await(cloned, "sleep");
    long uts = nsInode(unshared.pid(), "uts");
    long ipc = nsInode(clonedChild.pid(), "ipc");

    scanner.onLifecycle(change(NamespaceSyscall.UNSHARE, unshared.pid(), 0,
        new NamespaceTransition(NamespaceKind.UTS, nsInode(SELF, "uts"), uts, true)));
    assertThat(out).hasSize(1);
    NamespaceMetadata md = out.get(0);
    assertThat(md.getKind()).isEqualTo(NamespaceKind.UTS);
    assertThat(md.getInode()).isEqualTo(uts);
    assertThat(md.getNodename()).isEqualTo("lc-ns");
    assertThat(md.getSource()).isEqualTo(MetadataSource.LIFECYCLE);
    assertThat(md.getSamplePid()).isEqualTo((int) unshared.pid());
    assertThat(md.getMemberCount()).isEqualTo(1);

    // clone: described from the child whose pid the call returned, not from the caller
    scanner.onLifecycle(change(NamespaceSyscall.CLONE, cloned.pid(), clonedChild.pid(),
        new NamespaceTransition(NamespaceKind.IPC, nsInode(SELF, "ipc"), ipc, true)));
    assertThat(out).hasSize(2);
    assertThat(out.get(1).getInode()).isEqualTo(ipc);
    assertThat(out.get(1).getSamplePid()).isEqualTo((int) clonedChild.pid());
    assertThat(out.get(1).getOwnerUserNs()).isEqualTo(nsInode(SELF, "user"));

    // Known already: not described again.
    scanner.onLifecycle(change(NamespaceSyscall.UNSHARE, unshared.pid(), 0,
        new NamespaceTransition(NamespaceKind.UTS, nsInode(SELF, "uts"), uts, true)));
    assertThat(out).hasSize(2);
    assertThat(scanner.stats().lifecycleUnresolved()).isZero();
  }

  @Test
  void aShortLivedNamespaceIsReportedWithTheNameItGotBeforeItVanished() throws Exception {
    Process child = children.start("unshare", "--uts", "sh", "-c", "read x; hostname brief-ns; exec true");
    await(child, "sh");
    long uts = nsInode(child.pid(), "uts");
    scanner.onLifecycle(change(NamespaceSyscall.UNSHARE, child.pid(), 0,
        new NamespaceTransition(NamespaceKind.UTS, nsInode(SELF, "uts"), uts, true)));
    assertThat(find(NamespaceKind.UTS, uts).orElseThrow().getNodename()).isNotEqualTo("brief-ns");

    child.getOutputStream().write('\n');
    child.getOutputStream().flush();
    assertThat(child.waitFor()).isZero(); // named, then gone before any scan
    out.clear();
    scanner.scan();
    NamespaceMetadata last = find(NamespaceKind.UTS, uts).orElseThrow();
    assertThat(last.getRemoved()).isTrue();
    assertThat(last.getNodename()).isEqualTo("brief-ns");
  }

  @Test
  void aLifecycleEventWhoseProcessIsGoneGivesKindAndInodeThenRemoval() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    scanner.onLifecycle(change(NamespaceSyscall.UNSHARE, gone.pid(), 0,
        new NamespaceTransition(NamespaceKind.NET, 4026531833L, 4026599999L, true)));
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getInode()).isEqualTo(4026599999L);
    assertThat(out.get(0).getMemberCount()).isZero();
    assertThat(scanner.stats().lifecycleUnresolved()).isEqualTo(1);

    out.clear();
    scanner.scan();
    assertThat(find(NamespaceKind.NET, 4026599999L).orElseThrow().getRemoved()).isTrue();
  }

  @Test
  void observeDescribesTheUnknownNamespacesOfAProcess() throws Exception {
    Process child = children.start("unshare", "--net", "sleep", "30");
    await(child, "sleep");
    scanner.scan();
    out.clear();
    scanner.observe((int) child.pid()); // all known from the scan
    assertThat(out).isEmpty();

    Process other = children.start("unshare", "--net", "--cgroup", "sleep", "30");
    await(other, "sleep");
    scanner.observe((int) other.pid());
    assertThat(out).extracting(NamespaceMetadata::getKind).containsExactlyInAnyOrder(
        NamespaceKind.NET, NamespaceKind.CGROUP);
    assertThat(out).allMatch(m -> m.getSource() == MetadataSource.LIFECYCLE);
  }

  @Test
  void aNamespaceOfAContainerCgroupCarriesItsContainerId() throws Exception {
    String id = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
    // Closed in reverse: the child dies before its cgroup is removed.
    try (TestCgroup cg = new TestCgroup(); ChildProcesses kids = new ChildProcesses()) {
      Path scope = cg.create("docker-" + id + ".scope");
      Process child = kids.start("unshare", "--uts", "--ipc", "sleep", "30");
      await(child, "sleep");
      TestCgroup.enter(scope, child.pid());
      scanner.scan();
      NamespaceMetadata uts = find(NamespaceKind.UTS, nsInode(child.pid(), "uts")).orElseThrow();
      assertThat(uts.getContainerId()).isEqualTo(id);
      assertThat(uts.getCgroupPath()).isEqualTo(cg.cgroupPath(scope));
      assertThat(find(NamespaceKind.IPC, nsInode(child.pid(), "ipc")).orElseThrow().getContainerId())
          .isEqualTo(id);
      assertThat(find(NamespaceKind.UTS, nsInode(SELF, "uts")).orElseThrow().getContainerId()).isNull();
    }
  }

  private Optional<NamespaceMetadata> find(NamespaceKind kind, long inode) {
    List<NamespaceMetadata> found = out.stream().filter(m -> m.getKind() == kind && m.getInode() == inode).toList();
    assertThat(found).as("records for %s %d", kind, inode).hasSizeLessThanOrEqualTo(1);
    return found.stream().findFirst();
  }

  private static NamespaceChange change(NamespaceSyscall call, long pid, long retval, NamespaceTransition t) {
    Namespaces ns = new Namespaces(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    TaskContext ctx = TaskContext.newBuilder().setHostId("host-1").setHostname("test-host").setTimeNs(0)
        .setCpu(0).setPid((int) pid).setTid((int) pid).setPpid(1).setUid(0).setGid(0).setComm("unshare")
        .setCgroupId(0).setNs(ns).build();
    return NamespaceChange.newBuilder().setCtx(ctx).setSyscall(call).setFlags(0).setRetval(retval)
        .setChanges(List.of(t)).build();
  }
}

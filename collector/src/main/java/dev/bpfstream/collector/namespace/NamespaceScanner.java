package dev.bpfstream.collector.namespace;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import dev.bpfstream.collector.bpf.NamespaceFile;
import dev.bpfstream.collector.enrich.ProcessCgroup;
import dev.bpfstream.event.IdMapEntry;
import dev.bpfstream.event.MetadataSource;
import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.event.NamespaceSyscall;
import dev.bpfstream.event.NamespaceTransition;
import dev.bpfstream.schema.TrustedRecords;

/**
 * The namespace inventory of this host, as {@link NamespaceMetadata} records keyed by (kind, inode).
 *
 * <p>{@link #scan()} reads every /proc/PID/ns/KIND and emits what is new or changed since the last
 * scan (owner user namespace and parent by ioctl, uid/gid maps, UTS names, member count, container
 * and cgroup of the sample process), then a {@code removed=true} record for each namespace no
 * process holds any more. {@link #onLifecycle} and {@link #observe} describe namespaces not seen
 * before at once (source LIFECYCLE), so a new namespace need not wait for the next scan.
 *
 * <p>What can change in a namespace's life is read again on every scan: UTS names (set after the
 * namespace is made), uid/gid maps until written, cgroup (a runtime moves its process into the
 * container's cgroup after making the namespaces), member count. Owner and parent are fixed at
 * creation and read once. A namespace held only by a bind mount or an open fd has no process and
 * is reported removed. A UTS namespace learnt from a lifecycle event is held open until the next
 * scan, so one that lived shorter than the scan interval is still reported with the name it was
 * given (in its removed record). Methods are synchronized: the scan and lifecycle events come from
 * different threads, and the consumer is called under the lock.
 */
public final class NamespaceScanner implements NamespaceObserver, AutoCloseable {
  static {
    TrustedRecords.install(); // records are copied through Avro builders, which check trust
  }

  /** What one scan did. */
  public record ScanResult(int processes, int namespaces, int emitted, int removed, long nanos) {
  }

  /**
   * Counters since start. {@code describeFailures}: a namespace whose sample process vanished or
   * moved while being read (retried at the next scan). {@code lifecycleUnresolved}: a lifecycle event
   * whose process was gone, emitted with kind and inode only. {@code utsFailures}: UTS names that
   * could not be read (the previous ones are kept). {@code pinsRefused}: new UTS namespaces not held
   * open until the next scan because 1024 already were.
   */
  public record Stats(long scans, long emitted, long removed, long describeFailures, long lifecycleUnresolved,
      long utsFailures, long utsReadersReplaced, long pinsRefused, int namespaces, ScanResult lastScan) {
  }

  private static final int MAX_PINNED = 1024;

  private final String hostId;
  private final String hostname;
  private final Consumer<NamespaceMetadata> out;
  private final LongSupplier epochNanos;
  private final UtsNameReader uts = new UtsNameReader();
  // Last state of every known namespace (never handed out: the consumer gets copies).
  private final Map<NamespaceKey, NamespaceMetadata> inventory = new HashMap<>();
  // Known only by kind and inode (a lifecycle event whose process was gone): describe fully when seen.
  private final Set<NamespaceKey> partial = new HashSet<>();
  // UTS namespaces learnt from lifecycle events, held open until the next scan: a short-lived one
  // (unshare, hostname, exit) is still there to read the name it was given after it was made.
  private final Map<NamespaceKey, NamespaceFile> pinned = new HashMap<>();
  private long pinsRefused;
  private long scans;
  private long emitted;
  private long removed;
  private long describeFailures;
  private long lifecycleUnresolved;
  private long utsFailures;
  private ScanResult lastScan;

  public NamespaceScanner(String hostId, String hostname, Consumer<NamespaceMetadata> out) {
    this(hostId, hostname, out, NamespaceScanner::epochNanosNow);
  }

  NamespaceScanner(String hostId, String hostname, Consumer<NamespaceMetadata> out, LongSupplier epochNanos) {
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.hostname = Objects.requireNonNull(hostname, "hostname");
    this.out = Objects.requireNonNull(out, "out");
    this.epochNanos = epochNanos;
  }

  /** One pass over /proc: emits new and changed namespaces, then removed ones. */
  public synchronized ScanResult scan() {
    long start = System.nanoTime();
    long now = epochNanos.getAsLong();
    ProcessNamespaces.Snapshot snap = ProcessNamespaces.read();
    Map<Integer, ProcessCgroup> cgroups = new HashMap<>();
    int newOrChanged = 0;
    for (Map.Entry<NamespaceKey, ProcessNamespaces.Members> e : snap.members().entrySet()) {
      NamespaceKey key = e.getKey();
      ProcessNamespaces.Members m = e.getValue();
      NamespaceMetadata prev = inventory.get(key);
      NamespaceMetadata next = describe(key, m.lowestPid, m.count, partial.contains(key) ? null : prev, now,
          MetadataSource.SCAN, cgroups);
      if (next == null) {
        describeFailures++;
        if (prev != null) {
          prev.setLastSeenNs(now);
        }
        continue;
      }
      if (prev != null) {
        next.setFirstSeenNs(prev.getFirstSeenNs());
      }
      partial.remove(key);
      inventory.put(key, next);
      if (prev == null || !sameContent(prev, next)) {
        emit(next);
        newOrChanged++;
      }
    }
    readPinnedWithoutMembers(snap.members().keySet());
    int gone = 0;
    for (Iterator<Map.Entry<NamespaceKey, NamespaceMetadata>> it = inventory.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<NamespaceKey, NamespaceMetadata> e = it.next();
      if (!snap.members().containsKey(e.getKey())) {
        NamespaceMetadata last = e.getValue();
        last.setTimeNs(now);
        last.setMemberCount(0);
        last.setSource(MetadataSource.SCAN);
        last.setRemoved(true);
        emit(last);
        partial.remove(e.getKey());
        it.remove();
        gone++;
      }
    }
    scans++;
    removed += gone;
    lastScan = new ScanResult(snap.processes(), snap.members().size(), newOrChanged, gone, System.nanoTime() - start);
    return lastScan;
  }

  /**
   * A clone/unshare/setns that made or entered namespaces: describes at once those not known yet,
   * from the new child (clone) or the calling thread (unshare and setns change only the caller's
   * thread, and /proc/TID/ns shows that thread's namespaces).
   */
  @Override
  public synchronized void onLifecycle(NamespaceChange change) {
    if (change.getRetval() < 0) {
      return; // the call failed: nothing was made or entered
    }
    NamespaceSyscall call = change.getSyscall();
    boolean clone = call == NamespaceSyscall.CLONE || call == NamespaceSyscall.CLONE3;
    int pid = clone ? (int) change.getRetval() : change.getCtx().getTid();
    for (NamespaceTransition t : change.getChanges()) {
      if (t.getAfter() != 0 && t.getAfter() != t.getBefore()) {
        learn(new NamespaceKey(t.getKind(), t.getAfter()), pid);
      }
    }
  }

  /**
   * New names of a UTS namespace, as the kernel holds them right after sethostname/setdomainname:
   * emitted at once when they differ from what the inventory holds. A namespace not known yet is
   * recorded by kind, inode and names (and described fully when a scan finds its processes).
   */
  @Override
  public synchronized void onUtsNames(long utsInode, String nodename, String domainname) {
    NamespaceKey key = new NamespaceKey(NamespaceKind.UTS, utsInode);
    long now = epochNanos.getAsLong();
    NamespaceMetadata md = inventory.get(key);
    if (md == null) {
      md = base(key, now).setSource(MetadataSource.LIFECYCLE).build();
      partial.add(key);
      inventory.put(key, md);
    } else if (Objects.equals(md.getNodename(), nodename) && Objects.equals(md.getDomainname(), domainname)) {
      return;
    }
    md.setNodename(nodename);
    md.setDomainname(domainname);
    md.setTimeNs(now);
    md.setLastSeenNs(now);
    md.setSource(MetadataSource.LIFECYCLE);
    emit(md);
  }

  /** Describes at once the namespaces of {@code pid} not known yet (e.g. on an exec in a new namespace). */
  public synchronized void observe(int pid) {
    for (NamespaceKind kind : NamespaceKind.values()) {
      long inode = ProcessNamespaces.inode(pid, kind);
      if (inode > 0) {
        learn(new NamespaceKey(kind, inode), pid);
      }
    }
  }

  public synchronized Stats stats() {
    return new Stats(scans, emitted, removed, describeFailures, lifecycleUnresolved, utsFailures,
        uts.replacedWorkers(), pinsRefused, inventory.size(), lastScan);
  }

  @Override
  public synchronized void close() {
    pinned.values().forEach(NamespaceFile::close);
    pinned.clear();
    uts.close();
  }

  private void learn(NamespaceKey key, int pid) {
    if (inventory.containsKey(key)) {
      return;
    }
    long now = epochNanos.getAsLong();
    NamespaceMetadata md = describe(key, pid, 1, null, now, MetadataSource.LIFECYCLE, new HashMap<>());
    if (md == null) {
      lifecycleUnresolved++;
      md = base(key, now).setMemberCount(0).setSamplePid(pid).setSource(MetadataSource.LIFECYCLE).build();
      partial.add(key);
    } else if (key.kind() == NamespaceKind.UTS) {
      pin(key, pid);
    }
    inventory.put(key, md);
    emit(md);
  }

  private void pin(NamespaceKey key, int pid) {
    if (pinned.size() >= MAX_PINNED) {
      pinsRefused++;
      return;
    }
    NamespaceFile f = NamespaceFile.open(ProcessNamespaces.file(pid, key.kind()));
    if (f != null && f.inode() == key.inode()) {
      pinned.put(key, f);
    } else if (f != null) {
      f.close();
    }
  }

  /** UTS names of pinned namespaces no process holds any more, read through the pin; then unpins all. */
  private void readPinnedWithoutMembers(Set<NamespaceKey> held) {
    for (Map.Entry<NamespaceKey, NamespaceFile> e : pinned.entrySet()) {
      NamespaceMetadata md = inventory.get(e.getKey());
      if (md != null && !held.contains(e.getKey())) {
        try {
          UtsNameReader.UtsNames n = uts.read(e.getValue());
          md.setNodename(n.nodename());
          md.setDomainname(n.domainname());
        } catch (RuntimeException ex) {
          utsFailures++;
        }
      }
      e.getValue().close();
    }
    pinned.clear();
  }

  /**
   * The namespace as seen through process {@code pid}; null when that process is gone or no longer
   * in it. With {@code prev}, what cannot change (owner, parent, written maps) is taken from it.
   */
  private NamespaceMetadata describe(NamespaceKey key, int pid, int members, NamespaceMetadata prev, long now,
      MetadataSource source, Map<Integer, ProcessCgroup> cgroups) {
    NamespaceKind kind = key.kind();
    NamespaceMetadata.Builder b = prev == null ? base(key, now) : NamespaceMetadata.newBuilder(prev);
    boolean mapsPending = kind == NamespaceKind.USER && (prev == null || prev.getUidMap().isEmpty());
    if (prev == null || kind == NamespaceKind.UTS || mapsPending) {
      // The fd pins the namespace: what we read through it is this namespace even if the process exits.
      try (NamespaceFile f = NamespaceFile.open(ProcessNamespaces.file(pid, kind))) {
        if (f == null || f.inode() != key.inode()) {
          return null;
        }
        if (prev == null) {
          b.setOwnerUserNs(orNull(f.ownerUserNamespace()));
          if (kind == NamespaceKind.PID || kind == NamespaceKind.USER) {
            b.setParent(orNull(f.parent()));
          }
        }
        if (kind == NamespaceKind.UTS) {
          readUtsNames(f, b);
        }
        if (mapsPending) {
          List<IdMapEntry> uid = IdMaps.read(pid, "uid_map");
          List<IdMapEntry> gid = IdMaps.read(pid, "gid_map");
          if (ProcessNamespaces.inode(pid, kind) != key.inode()) {
            return null; // the maps were of some other process now holding that pid
          }
          b.setUidMap(uid).setGidMap(gid);
        }
      }
    }
    ProcessCgroup cg = cgroups.computeIfAbsent(pid, ProcessCgroup::of);
    if (cg != null) {
      b.setCgroupPath(cg.path()).setContainerId(cg.containerId());
    }
    return b.setTimeNs(now).setLastSeenNs(now).setMemberCount(members).setSamplePid(pid).setSource(source)
        .setRemoved(false).build();
  }

  private void readUtsNames(NamespaceFile f, NamespaceMetadata.Builder b) {
    try {
      UtsNameReader.UtsNames n = uts.read(f);
      b.setNodename(n.nodename()).setDomainname(n.domainname());
    } catch (RuntimeException e) {
      utsFailures++;
    }
  }

  private NamespaceMetadata.Builder base(NamespaceKey key, long now) {
    return NamespaceMetadata.newBuilder().setHostId(hostId).setHostname(hostname).setTimeNs(now)
        .setKind(key.kind()).setInode(key.inode()).setFirstSeenNs(now).setLastSeenNs(now).setMemberCount(0);
  }

  /** Equal in all that a reader of the inventory cares about (not times, sample pid or source). */
  private static boolean sameContent(NamespaceMetadata a, NamespaceMetadata b) {
    return Objects.equals(a.getOwnerUserNs(), b.getOwnerUserNs())
        && Objects.equals(a.getParent(), b.getParent())
        && Objects.equals(a.getNodename(), b.getNodename())
        && Objects.equals(a.getDomainname(), b.getDomainname())
        && a.getUidMap().equals(b.getUidMap())
        && a.getGidMap().equals(b.getGidMap())
        && a.getMemberCount() == b.getMemberCount()
        && Objects.equals(a.getContainerId(), b.getContainerId())
        && Objects.equals(a.getCgroupPath(), b.getCgroupPath())
        && a.getRemoved() == b.getRemoved();
  }

  private void emit(NamespaceMetadata md) {
    emitted++;
    out.accept(NamespaceMetadata.newBuilder(md).build());
  }

  private static Long orNull(long inode) {
    return inode > 0 ? inode : null;
  }

  private static long epochNanosNow() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}

package dev.bpfstream.collector.enrich;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.bpfstream.collector.bpf.BpfException;
import dev.bpfstream.collector.bpf.CgroupHandles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cgroup v2 id (the kernfs inode of the cgroup directory, what {@code bpf_get_current_cgroup_id}
 * returns) to cgroup path and container id, cached.
 *
 * <p>Lookups that hit are lock-free and allocation-free. A miss resolves that one id at once with
 * a kernfs file handle ({@link CgroupHandles}, ~20 us whatever the size of the tree). Where handles
 * cannot be used (no CAP_DAC_READ_SEARCH), a miss walks the whole tree instead, at most once per
 * {@code minRescanInterval}, so a new container still resolves quickly without a storm of walks
 * (a walk stats every file: ~0.2 ms per cgroup); a cgroup that vanished stays for one more walk so
 * a container's last events (its exits) still resolve. At most {@code maxEntries} cgroups are
 * cached: a full cache is cleared (counted in {@link Stats#evicted}), cgroups a walk could not keep
 * are counted in {@link Stats#overflow}.
 */
public final class CgroupResolver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CgroupResolver.class);

  /** A resolved cgroup; containerId null outside containers. */
  public record Cgroup(long id, String path, String containerId) {
  }

  /**
   * Counters since start (hits are not counted: that would put an atomic add on every event).
   * {@code unresolved}: lookups that got null (no such cgroup, or a walk was not due yet);
   * {@code byHandle}: misses resolved by file handle; {@code walks}: whole-tree walks.
   */
  public record Stats(long unresolved, long byHandle, long walks, long evicted, long overflow, int cached,
      boolean handles) {
  }

  private final Path root;
  private final long minRescanNanos;
  private final int maxEntries;
  private final LongSupplier nanoTime;
  private volatile Table table;
  private CgroupHandles handles; // guarded by this; null once found unusable
  private Set<Long> carried = new HashSet<>(); // guarded by this: kept by the last walk though gone
  private long lastWalk; // guarded by this
  private boolean walked; // guarded by this
  private long lastFailedId = Long.MIN_VALUE; // guarded by this
  private long lastFailedAt; // guarded by this
  private final AtomicLong unresolved = new AtomicLong();
  private final AtomicLong byHandle = new AtomicLong();
  private final AtomicLong walks = new AtomicLong();
  private final AtomicLong evicted = new AtomicLong();
  private final AtomicLong overflow = new AtomicLong();

  /** Resolves by file handle where possible, else by rate-limited walks. */
  public CgroupResolver(Path root, Duration minRescanInterval, int maxEntries) {
    this(root, minRescanInterval, maxEntries, System::nanoTime, true);
  }

  CgroupResolver(Path root, Duration minRescanInterval, int maxEntries, LongSupplier nanoTime, boolean useHandles) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    this.root = root;
    this.minRescanNanos = minRescanInterval.toNanos();
    this.maxEntries = maxEntries;
    this.nanoTime = nanoTime;
    this.table = new Table(8);
    if (useHandles) {
      try {
        handles = CgroupHandles.open(root);
      } catch (BpfException e) {
        log.warn("cgroup ids resolve by walking {} ({}); grant CAP_DAC_READ_SEARCH to resolve them directly",
            root, e.getMessage());
      }
    }
  }

  /** A resolver over this host's cgroup v2 mount; walks at most once a second; 65536 cgroups. */
  public static CgroupResolver forHost() {
    return new CgroupResolver(CgroupMount.unified(), Duration.ofSeconds(1), 65_536);
  }

  /** The cgroup with this id, or null when it cannot be found (counted). */
  public Cgroup resolve(long cgroupId) {
    Cgroup c = table.get(cgroupId);
    return c != null ? c : resolveMiss(cgroupId);
  }

  /** The container id of the cgroup, or null (not a container, or unknown). */
  public String containerId(long cgroupId) {
    Cgroup c = resolve(cgroupId);
    return c == null ? null : c.containerId();
  }

  public synchronized Stats stats() {
    return new Stats(unresolved.get(), byHandle.get(), walks.get(), evicted.get(), overflow.get(),
        table.size, handles != null);
  }

  @Override
  public synchronized void close() {
    if (handles != null) {
      handles.close();
      handles = null;
    }
  }

  private synchronized Cgroup resolveMiss(long cgroupId) {
    Cgroup c = table.get(cgroupId); // resolved by another thread meanwhile
    if (c == null) {
      long now = nanoTime.getAsLong();
      if (handles != null) {
        c = byHandle(cgroupId, now);
      }
      if (handles == null && (!walked || now - lastWalk >= minRescanNanos)) {
        walked = true;
        lastWalk = now;
        walk();
        c = table.get(cgroupId);
      }
    }
    if (c == null) {
      unresolved.incrementAndGet();
    }
    return c;
  }

  private Cgroup byHandle(long cgroupId, long now) {
    if (cgroupId == lastFailedId && now - lastFailedAt < minRescanNanos) {
      return null; // the same unknown id again: a burst of its in-flight events costs one syscall
    }
    String path;
    try {
      path = handles.path(cgroupId);
    } catch (BpfException e) {
      log.warn("cgroup ids resolve by walking {} from now on: {}", root, e.getMessage());
      handles.close();
      handles = null;
      return null;
    }
    if (path == null) {
      lastFailedId = cgroupId;
      lastFailedAt = now;
      return null;
    }
    byHandle.incrementAndGet();
    Cgroup c = new Cgroup(cgroupId, path, ContainerIds.fromCgroupPath(path));
    insert(c);
    return c;
  }

  private void insert(Cgroup c) {
    Table t = table;
    if (t.size >= maxEntries) {
      evicted.addAndGet(t.size);
      t = new Table(1);
    } else if (t.size + 1 > t.slots.length / 2) {
      t = t.grown(Math.min(maxEntries, 2 * (t.size + 1)));
    }
    t.put(c);
    table = t;
  }

  /** Replaces the cache with the cgroups the tree holds now, plus those gone since the last walk. */
  private void walk() {
    walks.incrementAndGet();
    List<Cgroup> live = tree();
    Table old = table;
    Table next = new Table(Math.min(maxEntries, live.size() + old.size));
    Set<Long> nowCarried = new HashSet<>();
    long dropped = 0;
    for (Cgroup c : live) {
      if (next.size < maxEntries) {
        next.put(c);
      } else {
        dropped++;
      }
    }
    for (Cgroup c : old.slots) {
      if (c != null && next.size < maxEntries && !carried.contains(c.id()) && next.get(c.id()) == null) {
        next.put(c);
        nowCarried.add(c.id());
      }
    }
    overflow.addAndGet(dropped);
    carried = nowCarried;
    table = next;
  }

  private List<Cgroup> tree() {
    List<Cgroup> out = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          try {
            long ino = (Long) Files.getAttribute(dir, "unix:ino");
            String path = "/" + root.relativize(dir);
            out.add(new Cgroup(ino, path, ContainerIds.fromCgroupPath(path)));
          } catch (IOException | RuntimeException e) {
            // removed while we walked
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE; // removed while we walked
        }
      });
    } catch (IOException e) {
      // The root itself is unreadable: nothing resolves, every lookup is counted unresolved.
    }
    return out;
  }

  /**
   * Open addressing on the id. Readers take no lock: a slot holds null or a complete Cgroup (final
   * fields), and slots are only ever filled in place; growing or clearing makes a new table.
   */
  private static final class Table {
    final Cgroup[] slots;
    final int mask;
    int size;

    Table(int capacity) {
      int n = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1; // load factor <= 0.5
      slots = new Cgroup[n];
      mask = n - 1;
    }

    Cgroup get(long id) {
      Cgroup[] s = slots;
      for (int i = slot(id, mask); ; i = (i + 1) & mask) {
        Cgroup c = s[i];
        if (c == null || c.id() == id) {
          return c;
        }
      }
    }

    void put(Cgroup c) {
      int i = slot(c.id(), mask);
      while (slots[i] != null && slots[i].id() != c.id()) {
        i = (i + 1) & mask;
      }
      if (slots[i] == null) {
        size++;
      }
      slots[i] = c;
    }

    Table grown(int capacity) {
      Table t = new Table(capacity);
      for (Cgroup c : slots) {
        if (c != null) {
          t.put(c);
        }
      }
      return t;
    }

    private static int slot(long id, int mask) {
      long h = id * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32)) & mask;
    }
  }
}

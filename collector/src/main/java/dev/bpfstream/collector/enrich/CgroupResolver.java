package dev.bpfstream.collector.enrich;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * cgroup v2 id (the kernfs inode of the cgroup directory, what {@code bpf_get_current_cgroup_id}
 * returns) to cgroup path and container id.
 *
 * <p>The cache is a snapshot of the cgroup tree: lookups are lock-free and allocation-free. A miss
 * walks the tree again, at most once per {@code minRescanInterval}, so a new container resolves at
 * its first event without a storm of walks. A cgroup that disappeared stays for one more walk, so
 * the last events of a container (its exits) still resolve. At most {@code maxEntries} cgroups are
 * kept; those beyond are counted in {@link Stats#overflow}.
 */
public final class CgroupResolver {
  /** A resolved cgroup; containerId null outside containers. */
  public record Cgroup(long id, String path, String containerId) {
  }

  /** Counters since start: {@code unresolved} lookups got null (unknown id, or a walk was not yet due). */
  public record Stats(long hits, long unresolved, long rescans, long overflow, int cached) {
  }

  private final Path root;
  private final long minRescanNanos;
  private final int maxEntries;
  private final LongSupplier nanoTime;
  private volatile Table table = Table.EMPTY;
  private long lastRescan; // guarded by this
  private boolean rescanned; // guarded by this
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong unresolved = new AtomicLong();
  private final AtomicLong rescans = new AtomicLong();
  private final AtomicLong overflow = new AtomicLong();

  public CgroupResolver(Path root, Duration minRescanInterval, int maxEntries) {
    this(root, minRescanInterval, maxEntries, System::nanoTime);
  }

  CgroupResolver(Path root, Duration minRescanInterval, int maxEntries, LongSupplier nanoTime) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    this.root = root;
    this.minRescanNanos = minRescanInterval.toNanos();
    this.maxEntries = maxEntries;
    this.nanoTime = nanoTime;
  }

  /** A resolver over this host's cgroup v2 mount, rescanning at most once a second, 65536 cgroups. */
  public static CgroupResolver forHost() {
    return new CgroupResolver(CgroupMount.unified(), Duration.ofSeconds(1), 65_536);
  }

  /** The cgroup with this id, or null when it cannot be found (counted). */
  public Cgroup resolve(long cgroupId) {
    Cgroup c = table.get(cgroupId);
    if (c != null) {
      hits.incrementAndGet();
      return c;
    }
    return resolveMiss(cgroupId);
  }

  /** The container id of the cgroup, or null (not a container, or unknown). */
  public String containerId(long cgroupId) {
    Cgroup c = resolve(cgroupId);
    return c == null ? null : c.containerId();
  }

  public Stats stats() {
    return new Stats(hits.get(), unresolved.get(), rescans.get(), overflow.get(), table.size);
  }

  private synchronized Cgroup resolveMiss(long cgroupId) {
    Cgroup c = table.get(cgroupId); // another thread may have walked meanwhile
    if (c == null) {
      long now = nanoTime.getAsLong();
      if (!rescanned || now - lastRescan >= minRescanNanos) {
        rescanned = true;
        lastRescan = now;
        rescan();
        c = table.get(cgroupId);
      }
    }
    if (c == null) {
      unresolved.incrementAndGet();
    } else {
      hits.incrementAndGet();
    }
    return c;
  }

  private void rescan() {
    rescans.incrementAndGet();
    List<Cgroup> live = walk();
    Table old = table;
    Table.Builder next = new Table.Builder(Math.min(maxEntries, live.size() + old.size));
    long dropped = 0;
    for (Cgroup c : live) {
      if (!next.put(c, false)) {
        dropped++;
      }
    }
    // Keep the cgroups that vanished since the last walk for one more walk.
    for (int i = 0; i < old.values.length; i++) {
      Cgroup c = old.values[i];
      if (c != null && !old.gone[i] && next.get(c.id()) == null) {
        next.put(c, true);
      }
    }
    overflow.addAndGet(dropped);
    table = next.build();
  }

  private List<Cgroup> walk() {
    List<Cgroup> out = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          try {
            long ino = (Long) Files.getAttribute(dir, "unix:ino");
            String rel = root.relativize(dir).toString();
            String path = "/" + rel;
            out.add(new Cgroup(ino, path, ContainerIds.fromCgroupPath(path)));
          } catch (IOException | RuntimeException e) {
            // removed while we walked
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE; // a cgroup removed while we walked
        }
      });
    } catch (IOException e) {
      // The root itself is unreadable: nothing resolves, every lookup is counted unresolved.
    }
    return out;
  }

  /** Open addressing on the id: immutable once built, so readers need no lock and make no garbage. */
  private static final class Table {
    static final Table EMPTY = new Builder(0).build();
    final long[] keys;
    final Cgroup[] values;
    final boolean[] gone;
    final int mask;
    final int size;

    private Table(long[] keys, Cgroup[] values, boolean[] gone, int size) {
      this.keys = keys;
      this.values = values;
      this.gone = gone;
      this.mask = keys.length - 1;
      this.size = size;
    }

    Cgroup get(long id) {
      for (int i = slot(id, mask); ; i = (i + 1) & mask) {
        Cgroup c = values[i];
        if (c == null || keys[i] == id) {
          return c;
        }
      }
    }

    static int slot(long id, int mask) {
      long h = id * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32)) & mask;
    }

    static final class Builder {
      private final long[] keys;
      private final Cgroup[] values;
      private final boolean[] gone;
      private final int capacity;
      private int size;

      Builder(int capacity) {
        this.capacity = capacity;
        int n = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1; // load factor <= 0.5
        keys = new long[n];
        values = new Cgroup[n];
        gone = new boolean[n];
      }

      Cgroup get(long id) {
        int mask = keys.length - 1;
        for (int i = slot(id, mask); ; i = (i + 1) & mask) {
          if (values[i] == null || keys[i] == id) {
            return values[i];
          }
        }
      }

      /** False when full. */
      boolean put(Cgroup c, boolean isGone) {
        int mask = keys.length - 1;
        int i = slot(c.id(), mask);
        while (values[i] != null && keys[i] != c.id()) {
          i = (i + 1) & mask;
        }
        if (values[i] == null) {
          if (size == capacity) {
            return false;
          }
          size++;
        }
        keys[i] = c.id();
        values[i] = c;
        gone[i] = isGone;
        return true;
      }

      Table build() {
        return new Table(keys, values, gone, size);
      }
    }
  }
}

package dev.bpfstream.collector.testing;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.bpfstream.broker.junit.Prerequisites;

/**
 * A temp directory on a real disk's ext4 (the default temp dir when it is ext4, else the first
 * writable ext4 mount); skips with the reason (a failure under BPFSTREAM_REQUIRE_ALL) when there is none.
 */
public final class Ext4Dir {
  private Ext4Dir() {
  }

  public static Path create(String prefix) throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    if ("ext4".equals(Files.getFileStore(tmp).type())) {
      return Files.createTempDirectory(tmp, prefix);
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] f = line.split(" ");
      if (f.length > 3 && f[2].equals("ext4") && List.of(f[3].split(",")).contains("rw")) {
        Path mount = Path.of(f[1].replace("\\040", " "));
        if (Files.isWritable(mount)) {
          return Files.createTempDirectory(mount, prefix);
        }
      }
    }
    Prerequisites.require("no writable ext4 filesystem on this machine (java.io.tmpdir " + tmp + " is "
        + Files.getFileStore(tmp).type() + "); mount one or point java.io.tmpdir at one");
    throw new IllegalStateException("unreachable");
  }

  /** Deletes the directory tree. */
  public static void delete(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The filesystem type of a path's mount. */
  public static String type(Path p) throws IOException {
    FileStore s = Files.getFileStore(p);
    return s.type();
  }
}

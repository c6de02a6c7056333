package dev.bpfstream.collector.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.bpfstream.broker.junit.Prerequisites;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh directory on a real disk's ext4 for each test ({@code @RegisterExtension}), deleted after
 * it: under the default temp dir when that is ext4, else under the first writable ext4 mount.
 * Skips with the reason (a failure under BPFSTREAM_REQUIRE_ALL) when there is none.
 */
public final class Ext4Dir implements BeforeEachCallback, AfterEachCallback {
  private final String prefix;
  private Path dir;

  public Ext4Dir(String prefix) {
    this.prefix = prefix;
  }

  /** This test's directory. */
  public Path path() {
    return dir;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    dir = create(prefix);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
    dir = null;
  }

  private static Path create(String prefix) throws IOException {
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
}

package dev.bpfstream.collector.enrich;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/** Kernel names of block devices by major:minor, from /sys/dev/block (cached; "" when unknown). */
public final class BlockDeviceNames {
  private static final Path SYS_DEV_BLOCK = Path.of("/sys/dev/block");
  private final ConcurrentHashMap<Long, String> names = new ConcurrentHashMap<>();

  public String name(int major, int minor) {
    long key = ((long) major << 32) | (minor & 0xffffffffL);
    String known = names.get(key);
    if (known != null) {
      return known;
    }
    String found = lookup(major, minor);
    if (!found.isEmpty()) {
      names.put(key, found); // an unknown device may appear later: only names are cached
    }
    return found;
  }

  private static String lookup(int major, int minor) {
    try {
      Path link = SYS_DEV_BLOCK.resolve(major + ":" + minor);
      return Files.readSymbolicLink(link).getFileName().toString();
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }
}

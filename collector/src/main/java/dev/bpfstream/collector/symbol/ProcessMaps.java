package dev.bpfstream.collector.symbol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The executable mappings of one process, from /proc/PID/maps. */
public final class ProcessMaps {

  /**
   * One mapping. {@code path} is as the process sees it (its own mount namespace); anonymous and
   * special mappings ([vdso], JIT code) have inode 0.
   */
  public record Region(long start, long end, long offset, String dev, long inode, String path, boolean deleted) {
    public boolean isFile() {
      return inode != 0 && path.startsWith("/");
    }

    /** The name under /proc/PID/map_files/ that opens this mapping's file even when unreachable by path. */
    public String mapFilesName() {
      return Long.toHexString(start) + "-" + Long.toHexString(end);
    }
  }

  private final List<Region> regions;

  private ProcessMaps(List<Region> regions) {
    this.regions = regions;
  }

  public static ProcessMaps read(Path mapsFile) throws IOException {
    return parse(Files.readAllLines(mapsFile));
  }

  static ProcessMaps parse(List<String> lines) {
    List<Region> out = new ArrayList<>();
    for (String line : lines) {
      // start-end perms offset dev inode   path
      String[] f = line.trim().split("\\s+", 6);
      if (f.length < 5 || f[1].length() < 3 || f[1].charAt(2) != 'x') {
        continue;
      }
      int dash = f[0].indexOf('-');
      long start = Long.parseUnsignedLong(f[0], 0, dash, 16);
      long end = Long.parseUnsignedLong(f[0], dash + 1, f[0].length(), 16);
      String path = f.length == 6 ? f[5] : "";
      boolean deleted = path.endsWith(" (deleted)");
      if (deleted) {
        path = path.substring(0, path.length() - " (deleted)".length());
      }
      out.add(new Region(start, end, Long.parseUnsignedLong(f[2], 16), f[3], Long.parseLong(f[4]), path, deleted));
    }
    return new ProcessMaps(out);
  }

  /** The mapping containing {@code address}, or null. */
  public Region regionOf(long address) {
    for (Region r : regions) {
      if (Long.compareUnsigned(address, r.start()) >= 0 && Long.compareUnsigned(address, r.end()) < 0) {
        return r;
      }
    }
    return null;
  }

  public List<Region> regions() {
    return regions;
  }
}

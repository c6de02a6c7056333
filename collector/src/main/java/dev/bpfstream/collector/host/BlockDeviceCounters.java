package dev.bpfstream.collector.host;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * /proc/diskstats of whole disks (the names in /sys/block; partitions would count twice) that have
 * done any I/O since boot. Per device: the cumulative counters iostat -x works from.
 */
public record BlockDeviceCounters(Map<String, Device> devices) {

  /** Cumulative since boot; sectors are 512 bytes whatever the device's block size. Times in ms. */
  public record Device(long reads, long readSectors, long readMs, long writes, long writeSectors, long writeMs,
                       long ioMs, long weightedMs, long discards, long discardMs) {
    long ios() {
      return reads + writes + discards;
    }
  }

  public static BlockDeviceCounters parse(String diskstats, Set<String> wholeDisks) {
    Map<String, Device> out = new LinkedHashMap<>();
    for (String line : diskstats.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 14 || !wholeDisks.contains(f[2])) {
        continue;
      }
      long[] v = new long[f.length - 3];
      for (int i = 0; i < v.length; i++) {
        v[i] = Long.parseLong(f[i + 3]);
      }
      Device d = new Device(v[0], v[2], v[3], v[4], v[6], v[7], v[9], v[10],
          v.length > 11 ? v[11] : 0, v.length > 14 ? v[14] : 0);
      if (d.ios() > 0) {
        out.put(f[2], d);
      }
    }
    return new BlockDeviceCounters(out);
  }
}

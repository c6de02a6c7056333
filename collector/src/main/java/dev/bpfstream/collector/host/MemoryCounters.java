package dev.bpfstream.collector.host;

/** /proc/meminfo (bytes now) and the swap page counters of /proc/vmstat (cumulative). */
public record MemoryCounters(long totalBytes, long freeBytes, long availableBytes, long swapTotalBytes,
                             long swapFreeBytes, long swapInPages, long swapOutPages) {

  public static MemoryCounters parse(String meminfo, String vmstat) {
    long total = 0;
    long free = 0;
    long available = -1;
    long swapTotal = 0;
    long swapFree = 0;
    for (String line : meminfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon);
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      long bytes = Long.parseLong(f[0]) * (f.length > 1 && f[1].equals("kB") ? 1024 : 1);
      switch (key) {
        case "MemTotal" -> total = bytes;
        case "MemFree" -> free = bytes;
        case "MemAvailable" -> available = bytes;
        case "SwapTotal" -> swapTotal = bytes;
        case "SwapFree" -> swapFree = bytes;
        default -> { }
      }
    }
    long in = 0;
    long out = 0;
    for (String line : vmstat.split("\n")) {
      if (line.startsWith("pswpin ")) {
        in = Long.parseLong(line.substring(7).trim());
      } else if (line.startsWith("pswpout ")) {
        out = Long.parseLong(line.substring(8).trim());
      }
    }
    return new MemoryCounters(total, free, available < 0 ? free : available, swapTotal, swapFree, in, out);
  }
}

package dev.bpfstream.collector.host;

import java.util.LinkedHashMap;
import java.util.Map;

/** /proc/net/dev of the collector's network namespace (the host's): cumulative counters per interface. */
public record InterfaceCounters(Map<String, Interface> interfaces) {

  public record Interface(long rxBytes, long rxPackets, long rxErrors, long rxDrops,
                          long txBytes, long txPackets, long txErrors, long txDrops) {
  }

  public static InterfaceCounters parse(String content) {
    Map<String, Interface> out = new LinkedHashMap<>();
    for (String line : content.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0 || line.contains("|")) {
        continue; // the two header lines
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length < 16) {
        continue;
      }
      out.put(line.substring(0, colon).trim(), new Interface(Long.parseLong(f[0]), Long.parseLong(f[1]),
          Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[8]), Long.parseLong(f[9]),
          Long.parseLong(f[10]), Long.parseLong(f[11])));
    }
    return new InterfaceCounters(out);
  }
}

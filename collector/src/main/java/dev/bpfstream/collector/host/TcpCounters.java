package dev.bpfstream.collector.host;

import java.util.HashMap;
import java.util.Map;

/** The Tcp lines of /proc/net/snmp (sar -n TCP,ETCP): cumulative counters of the collector's network namespace. */
public record TcpCounters(long activeOpens, long passiveOpens, long retransSegs, long inErrs, long outRsts) {

  public static TcpCounters parse(String snmp) {
    String header = null;
    Map<String, Long> v = new HashMap<>();
    for (String line : snmp.split("\n")) {
      if (!line.startsWith("Tcp:")) {
        continue;
      }
      if (header == null) {
        header = line;
        continue;
      }
      String[] names = header.substring(4).trim().split("\\s+");
      String[] values = line.substring(4).trim().split("\\s+");
      for (int i = 0; i < names.length && i < values.length; i++) {
        v.put(names[i], Long.parseLong(values[i]));
      }
      break;
    }
    return new TcpCounters(v.getOrDefault("ActiveOpens", 0L), v.getOrDefault("PassiveOpens", 0L),
        v.getOrDefault("RetransSegs", 0L), v.getOrDefault("InErrs", 0L), v.getOrDefault("OutRsts", 0L));
  }
}

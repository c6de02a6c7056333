package dev.bpfstream.collector.host;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /proc/stat: CPU time per CPU (cpu -1 is the "cpu" total line) in USER_HZ ticks, in the order
 * user, nice, system, idle, iowait, irq, softirq, steal (guest time is already inside user), and the
 * instantaneous runnable and blocked task counts.
 */
public record ProcStat(Map<Integer, long[]> cpuTicks, int procsRunning, int procsBlocked) {
  public static final int FIELDS = 8;

  public static ProcStat parse(String content) {
    Map<Integer, long[]> cpus = new LinkedHashMap<>();
    int running = 0;
    int blocked = 0;
    for (String line : content.split("\n")) {
      if (line.startsWith("cpu")) {
        String[] f = line.trim().split("\\s+");
        int cpu = f[0].equals("cpu") ? -1 : Integer.parseInt(f[0].substring(3));
        long[] t = new long[FIELDS];
        for (int i = 0; i < FIELDS && i + 1 < f.length; i++) {
          t[i] = Long.parseLong(f[i + 1]);
        }
        cpus.put(cpu, t);
      } else if (line.startsWith("procs_running ")) {
        running = Integer.parseInt(line.substring(14).trim());
      } else if (line.startsWith("procs_blocked ")) {
        blocked = Integer.parseInt(line.substring(14).trim());
      }
    }
    return new ProcStat(cpus, running, blocked);
  }

  /** CPUs online now (the total line excluded). */
  public int cpuCount() {
    return (int) cpuTicks.keySet().stream().filter(c -> c >= 0).count();
  }
}

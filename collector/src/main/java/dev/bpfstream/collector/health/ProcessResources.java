package dev.bpfstream.collector.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory and CPU time, from /proc/self. */
public final class ProcessResources {
  private static final long NS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

  private ProcessResources() {
  }

  public static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  /** User plus system CPU of a process, in ns. */
  public static long cpuNs(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  public static String kernelRelease() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}

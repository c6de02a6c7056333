package dev.bpfstream.collector.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jnr.ffi.Pointer;

/** perf_event_open(2) for the two kinds of events the collector opens per CPU. */
public final class PerfEvents {
  private static final long SYS_PERF_EVENT_OPEN = 298; // x86-64
  private static final int PERF_TYPE_SOFTWARE = 1;
  private static final int PERF_COUNT_SW_CPU_CLOCK = 0;
  private static final int PERF_COUNT_SW_BPF_OUTPUT = 10;
  private static final long PERF_SAMPLE_RAW = 1L << 10;
  private static final long FLAG_FREQ = 1L << 10;
  private static final long FLAG_WATERMARK = 1L << 14;
  private static final long PERF_FLAG_FD_CLOEXEC = 8;
  private static final int ATTR_SIZE = 112; // PERF_ATTR_SIZE_VER5

  private PerfEvents() {
  }

  /** A BPF output event on one CPU: bpf_perf_event_output writes there; wakes at {@code wakeupBytes}. */
  public static int openBpfOutput(int cpu, int wakeupBytes) {
    Native n = Native.get();
    Pointer attr = n.allocate(ATTR_SIZE);
    attr.putInt(0, PERF_TYPE_SOFTWARE);
    attr.putInt(4, ATTR_SIZE);
    attr.putLong(8, PERF_COUNT_SW_BPF_OUTPUT);
    attr.putLong(16, 1);
    attr.putLong(24, PERF_SAMPLE_RAW);
    attr.putLong(40, FLAG_WATERMARK);
    attr.putInt(48, Math.max(1, wakeupBytes));
    return open(n, attr, cpu, "BPF output");
  }

  /** A CPU-clock sampling event on one CPU at {@code frequencyHz} (the profile probe). */
  public static int openCpuClock(int cpu, int frequencyHz) {
    Native n = Native.get();
    Pointer attr = n.allocate(ATTR_SIZE);
    attr.putInt(0, PERF_TYPE_SOFTWARE);
    attr.putInt(4, ATTR_SIZE);
    attr.putLong(8, PERF_COUNT_SW_CPU_CLOCK);
    attr.putLong(16, frequencyHz);
    attr.putLong(40, FLAG_FREQ);
    return open(n, attr, cpu, "CPU clock sampling");
  }

  private static int open(Native n, Pointer attr, int cpu, String what) {
    long fd = n.libc.syscall(SYS_PERF_EVENT_OPEN, attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd < 0) {
      throw n.failure("perf_event_open (" + what + ") on CPU " + cpu, 0);
    }
    return (int) fd;
  }

  public static void close(int fd) {
    Native.get().libc.close(fd);
  }

  /** CPUs in /sys/devices/system/cpu/online ("0-3,6"); all possible CPUs if unreadable. */
  public static List<Integer> onlineCpus() {
    List<Integer> out = new ArrayList<>();
    try {
      String s = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
      for (String part : s.split(",")) {
        int dash = part.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
        for (int c = from; c <= to; c++) {
          out.add(c);
        }
      }
    } catch (IOException | NumberFormatException e) {
      for (int c = 0; c < possibleCpus(); c++) {
        out.add(c);
      }
    }
    return out;
  }

  public static int possibleCpus() {
    return Native.get().bpf.libbpf_num_possible_cpus();
  }
}

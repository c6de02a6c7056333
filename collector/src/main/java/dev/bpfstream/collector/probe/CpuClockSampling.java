package dev.bpfstream.collector.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.collector.bpf.BpfException;
import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.bpf.PerfEvents;

/** Runs a perf_event program on every online CPU from a software CPU-clock event at a fixed rate. */
public final class CpuClockSampling {
  private CpuClockSampling() {
  }

  /** Opens one CPU-clock event per online CPU and attaches {@code program}; the links own the events. */
  public static int attach(BpfObject object, String program, int hz) {
    int attached = 0;
    for (int cpu : onlineCpus()) {
      int fd = PerfEvents.openCpuClock(cpu, hz);
      try {
        object.attachPerfEvent(program, fd);
      } catch (BpfException e) {
        PerfEvents.close(fd);
        throw e;
      }
      attached++;
    }
    return attached;
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
      for (int c = 0; c < PerfEvents.possibleCpus(); c++) {
        out.add(c);
      }
    }
    return out;
  }
}

package dev.bpfstream.jobs.workload;

import java.util.LinkedHashMap;
import java.util.Map;

/** The named figures of a scope's window ("what"): rates per second over the window, and counts. */
public final class Figures {
  private Figures() {
  }

  public static Map<String, Double> of(ScopeCounts c, long windowMs) {
    double s = windowMs / 1000.0;
    Map<String, Double> f = new LinkedHashMap<>();
    f.put("events_per_s", c.get(Counter.EVENTS) / s);
    f.put("exec_per_s", c.get(Counter.EXECS) / s);
    f.put("exits_per_s", c.get(Counter.EXITS) / s);
    f.put("short_lived", (double) c.get(Counter.SHORT_LIVED));
    f.put("opens_per_s", c.get(Counter.OPENS) / s);
    f.put("failed_opens_per_s", c.get(Counter.FAILED_OPENS) / s);
    f.put("slow_file_ops_per_s", c.get(Counter.SLOW_FILE_OPS) / s);
    f.put("slow_file_read_bytes_per_s", c.get(Counter.FILE_READ_BYTES) / s);
    f.put("slow_file_write_bytes_per_s", c.get(Counter.FILE_WRITE_BYTES) / s);
    f.put("read_iops", c.get(Counter.BLOCK_READS) / s);
    f.put("write_iops", c.get(Counter.BLOCK_WRITES) / s);
    f.put("read_bytes_per_s", c.get(Counter.BLOCK_READ_BYTES) / s);
    f.put("write_bytes_per_s", c.get(Counter.BLOCK_WRITE_BYTES) / s);
    f.put("tcp_connects_per_s", c.get(Counter.TCP_CONNECTS) / s);
    f.put("tcp_accepts_per_s", c.get(Counter.TCP_ACCEPTS) / s);
    f.put("tcp_closes_per_s", c.get(Counter.TCP_CLOSES) / s);
    f.put("tcp_retransmits_per_s", c.get(Counter.TCP_RETRANSMITS) / s);
    f.put("tcp_resets_per_s", c.get(Counter.TCP_RESETS) / s);
    f.put("tcp_bytes_per_s", c.get(Counter.TCP_BYTES) / s);
    f.put("cpu_samples", (double) c.get(Counter.CPU_SAMPLES));
    c.devices.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      long[] d = e.getValue();
      String dev = "{device=" + e.getKey() + "}";
      f.put("read_iops" + dev, d[ScopeCounts.DEV_READS] / s);
      f.put("write_iops" + dev, d[ScopeCounts.DEV_WRITES] / s);
      f.put("read_bytes_per_s" + dev, d[ScopeCounts.DEV_READ_BYTES] / s);
      f.put("write_bytes_per_s" + dev, d[ScopeCounts.DEV_WRITE_BYTES] / s);
    });
    return f;
  }
}

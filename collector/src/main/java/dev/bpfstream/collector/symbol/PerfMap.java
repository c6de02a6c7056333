package dev.bpfstream.collector.symbol;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A JIT's symbol file, /tmp/perf-PID.map (PID as the process sees itself): lines of
 * "START SIZE name" with hex START and SIZE, as written by the JVM (-XX:+DumpPerfMapAtExit,
 * jcmd Compiler.perfmap, perf-map-agent), node --perf-basic-prof and others. Later lines win.
 */
public final class PerfMap {
  public static final PerfMap EMPTY = new PerfMap(new long[0], new long[0], new String[0]);

  private final long[] starts;
  private final long[] ends;
  private final String[] names;

  private PerfMap(long[] starts, long[] ends, String[] names) {
    this.starts = starts;
    this.ends = ends;
    this.names = names;
  }

  public static PerfMap read(Path file) throws IOException {
    int n = 0;
    long[] s = new long[256];
    long[] e = new long[256];
    String[] nm = new String[256];
    try (BufferedReader r = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        int a = line.indexOf(' ');
        int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
        if (b < 0) {
          continue;
        }
        try {
          long start = Long.parseUnsignedLong(strip0x(line.substring(0, a)), 16);
          long size = Long.parseUnsignedLong(strip0x(line.substring(a + 1, b)), 16);
          if (n == s.length) {
            s = Arrays.copyOf(s, n * 2);
            e = Arrays.copyOf(e, n * 2);
            nm = Arrays.copyOf(nm, n * 2);
          }
          s[n] = start;
          e[n] = start + size;
          nm[n] = line.substring(b + 1);
          n++;
        } catch (NumberFormatException ignored) {
          // not a symbol line
        }
      }
    }
    // Sorted by start; of entries with the same start the later line (newer code) wins.
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long[] s0 = s;
    Arrays.sort(order, (x, y) -> {
      int c = Long.compareUnsigned(s0[x], s0[y]);
      return c != 0 ? c : Integer.compare(y, x);
    });
    long[] ss = new long[n];
    long[] ee = new long[n];
    String[] names = new String[n];
    int m = 0;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      if (m > 0 && ss[m - 1] == s[i]) {
        continue;
      }
      ss[m] = s[i];
      ee[m] = e[i];
      names[m] = nm[i];
      m++;
    }
    return new PerfMap(Arrays.copyOf(ss, m), Arrays.copyOf(ee, m), Arrays.copyOf(names, m));
  }

  private static String strip0x(String s) {
    return s.startsWith("0x") ? s.substring(2) : s;
  }

  /** The name of the code at {@code address}, or null. */
  public String symbolAt(long address) {
    int lo = 0;
    int hi = starts.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(starts[mid], address) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && Long.compareUnsigned(address, ends[found]) < 0 ? names[found] : null;
  }

  public int size() {
    return names.length;
  }
}

package dev.bpfstream.collector.symbol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

  /** What a JIT writes stays far below these; a file the process crafted must not exhaust the collector. */
  static final long MAX_BYTES = 64L << 20;
  static final int MAX_ENTRIES = 2 << 20;
  static final int MAX_LINE = 4096;

  /** Reads {@code file}; an IOException when it cannot be read or is larger than {@link #MAX_BYTES}. */
  public static PerfMap read(Path file) throws IOException {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new IOException(file + ": not a regular file"); // a FIFO would block the drain
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > MAX_BYTES) {
        throw new IOException(file + ": " + size + " bytes, more than a JIT writes; not read");
      }
      return parse(ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
    }
  }

  static PerfMap parse(ByteBuffer text) {
    int n = 0;
    long[] s = new long[256];
    long[] e = new long[256];
    String[] nm = new String[256];
    byte[] line = new byte[MAX_LINE];
    int limit = text.limit();
    int pos = 0;
    while (pos < limit && n < MAX_ENTRIES) {
      int eol = pos;
      while (eol < limit && text.get(eol) != '\n') {
        eol++;
      }
      int len = eol - pos;
      if (len > 0 && len <= MAX_LINE) { // longer lines are not symbol lines
        text.get(pos, line, 0, len);
        String l = new String(line, 0, len, StandardCharsets.ISO_8859_1);
        int a = l.indexOf(' ');
        int b = a < 0 ? -1 : l.indexOf(' ', a + 1);
        if (b >= 0) {
          try {
            long start = Long.parseUnsignedLong(strip0x(l.substring(0, a)), 16);
            long size = Long.parseUnsignedLong(strip0x(l.substring(a + 1, b)), 16);
            if (n == s.length) {
              s = Arrays.copyOf(s, n * 2);
              e = Arrays.copyOf(e, n * 2);
              nm = Arrays.copyOf(nm, n * 2);
            }
            s[n] = start;
            e[n] = start + size;
            nm[n] = l.endsWith("\r") ? l.substring(b + 1, l.length() - 1) : l.substring(b + 1); // CRLF files
            n++;
          } catch (NumberFormatException ignored) {
            // not a symbol line
          }
        }
      }
      pos = eol + 1;
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

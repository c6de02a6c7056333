package dev.bpfstream.collector.symbol;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Kernel text symbols from /proc/kallsyms (root sees real addresses; with kptr_restrict hiding
 * them every address is 0 and nothing resolves). kallsyms gives no sizes: an address belongs to the
 * nearest symbol below it, if that is at most {@link #MAX_FUNCTION_BYTES} away.
 */
public final class KernelSymbols {
  static final long MAX_FUNCTION_BYTES = 1 << 20;

  private final long[] addresses;
  private final String[] names;

  private KernelSymbols(long[] addresses, String[] names) {
    this.addresses = addresses;
    this.names = names;
  }

  public static KernelSymbols load() throws IOException {
    return load(Path.of("/proc/kallsyms"));
  }

  static KernelSymbols load(Path kallsyms) throws IOException {
    int n = 0;
    long[] addr = new long[1 << 17];
    String[] name = new String[1 << 17];
    try (BufferedReader r = Files.newBufferedReader(kallsyms)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        int s1 = line.indexOf(' ');
        if (s1 <= 0 || s1 + 3 >= line.length()) {
          continue;
        }
        char type = line.charAt(s1 + 1);
        if (type != 't' && type != 'T' && type != 'w' && type != 'W') {
          continue;
        }
        long a = Long.parseUnsignedLong(line, 0, s1, 16);
        if (a == 0) {
          continue;
        }
        int end = line.indexOf('\t', s1 + 3);
        if (n == addr.length) {
          addr = Arrays.copyOf(addr, n * 2);
          name = Arrays.copyOf(name, n * 2);
        }
        addr[n] = a;
        name[n] = end < 0 ? line.substring(s1 + 3) : line.substring(s1 + 3, end);
        n++;
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long[] a0 = addr;
    Arrays.sort(order, (x, y) -> Long.compareUnsigned(a0[x], a0[y]));
    long[] a = new long[n];
    String[] nm = new String[n];
    for (int k = 0; k < n; k++) {
      a[k] = addr[order[k]];
      nm[k] = name[order[k]];
    }
    return new KernelSymbols(a, nm);
  }

  /** The symbol at {@code address}, or null. */
  public String symbolAt(long address) {
    int lo = 0;
    int hi = addresses.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(addresses[mid], address) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0 || address - addresses[found] > MAX_FUNCTION_BYTES) {
      return null;
    }
    return names[found];
  }

  public int size() {
    return names.length;
  }
}

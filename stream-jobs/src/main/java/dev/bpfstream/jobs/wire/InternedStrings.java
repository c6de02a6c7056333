package dev.bpfstream.jobs.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings a job sees over and over (host ids and names, container ids, comms, devices): one
 * String per distinct UTF-8 byte sequence, kept in a fixed-size direct-mapped table, so a record
 * yields the same instance as the last record of that host (its hash already computed) and no new
 * object. A collision replaces the slot; the table never grows. Not thread-safe: one per reader.
 */
public final class InternedStrings {
  /** Longer strings are decoded afresh: hashing them costs about what decoding does. */
  private static final int MAX_BYTES = 256;

  private final byte[][] keys;
  private final String[] values;
  private final int mask;

  /** {@code slots}: a power of two. */
  public InternedStrings(int slots) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two, not " + slots);
    }
    keys = new byte[slots][];
    values = new String[slots];
    mask = slots - 1;
  }

  public String get(byte[] buf, int from, int length) {
    if (length > MAX_BYTES) {
      return new String(buf, from, length, StandardCharsets.UTF_8);
    }
    int h = length;
    for (int i = from, to = from + length; i < to; i++) {
      h = 31 * h + buf[i];
    }
    int slot = (h ^ (h >>> 16)) & mask;
    byte[] key = keys[slot];
    if (key != null && Arrays.equals(key, 0, key.length, buf, from, from + length)) {
      return values[slot];
    }
    String s = new String(buf, from, length, StandardCharsets.UTF_8);
    keys[slot] = Arrays.copyOfRange(buf, from, from + length);
    values[slot] = s;
    return s;
  }
}

package dev.bpfstream.collector.probe;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Strings read from ring records and finished once (redacted, rearranged), remembered by their raw
 * bytes: a busy process opens the same few paths over and over, and a hit costs a byte compare
 * instead of a decode, a regex pass and an allocation. Direct-mapped; a collision just replaces.
 * One per decoder thread.
 */
public final class RecentStrings {
  private final byte[][] keys;
  private final String[] values;
  private final int mask;
  private final UnaryOperator<String> finish;

  /** @param slots a power of two */
  public RecentStrings(int slots, UnaryOperator<String> finish) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    this.keys = new byte[slots][];
    this.values = new String[slots];
    this.mask = slots - 1;
    this.finish = finish;
  }

  /** The finished string of the {@code len} bytes at {@code at}. */
  public String get(ByteBuffer b, int at, int len) {
    int h = 1;
    for (int i = 0; i < len; i++) {
      h = 31 * h + b.get(at + i);
    }
    int slot = (h ^ (h >>> 16)) & mask;
    byte[] k = keys[slot];
    if (k != null && k.length == len && same(b, at, k)) {
      return values[slot];
    }
    byte[] raw = new byte[len];
    b.get(at, raw, 0, len);
    String v = finish.apply(new String(raw, StandardCharsets.UTF_8));
    keys[slot] = raw;
    values[slot] = v;
    return v;
  }

  private static boolean same(ByteBuffer b, int at, byte[] k) {
    for (int i = 0; i < k.length; i++) {
      if (b.get(at + i) != k[i]) {
        return false;
      }
    }
    return true;
  }
}

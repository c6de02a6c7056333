package dev.bpfstream.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One change to a valid encoding, the way corruption, truncation and hostile producers change it.
 * {@code at} is a fraction of the input's length, so a mutation applies to any input and shrinks well.
 */
public record ByteMutation(Kind kind, double at, int value) {
  public enum Kind { FLIP_BIT, SET_BYTE, INSERT, DELETE, TRUNCATE, DUPLICATE, SET_VARINT }

  /** Lengths and counts a hostile writer would put in a varint: negative, just past every limit, huge. */
  public static final long[] VARINTS = {-1, -(1L << 31), 0, 1, 127, 128, 1 << 20, (1 << 20) + 1, 4 << 20, (4 << 20) + 1,
      16 << 20, Integer.MAX_VALUE, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE};
  private static final byte[] BYTES = {0, 1, -1, 0x7f, (byte) 0x80, (byte) 0xC3, 0x01, 0x0a};

  public static Arbitrary<ByteMutation> any() {
    return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.doubles().between(0, 1), Arbitraries.integers())
        .as(ByteMutation::new);
  }

  public static Arbitrary<List<ByteMutation>> some() {
    return any().list().ofMinSize(1).ofMaxSize(4);
  }

  public static byte[] applyAll(byte[] in, List<ByteMutation> mutations) {
    byte[] out = in;
    for (ByteMutation m : mutations) {
      out = m.apply(out);
    }
    return out;
  }

  public byte[] apply(byte[] in) {
    int n = in.length;
    int i = Math.min((int) (at * n), Math.max(0, n - 1));
    switch (kind) {
      case FLIP_BIT -> {
        if (n == 0) {
          return in;
        }
        byte[] out = in.clone();
        out[i] ^= (byte) (1 << Math.floorMod(value, 8));
        return out;
      }
      case SET_BYTE -> {
        if (n == 0) {
          return in;
        }
        byte[] out = in.clone();
        out[i] = value % 3 == 0 ? BYTES[Math.floorMod(value, BYTES.length)] : (byte) value;
        return out;
      }
      case INSERT -> {
        int len = 1 + Math.floorMod(value, 8);
        byte[] out = new byte[n + len];
        System.arraycopy(in, 0, out, 0, i);
        for (int k = 0; k < len; k++) {
          out[i + k] = (byte) (value >>> (k * 4));
        }
        System.arraycopy(in, i, out, i + len, n - i);
        return out;
      }
      case DELETE -> {
        int len = Math.min(n - i, 1 + Math.floorMod(value, 16));
        byte[] out = new byte[n - len];
        System.arraycopy(in, 0, out, 0, i);
        System.arraycopy(in, i + len, out, i, n - i - len);
        return out;
      }
      case TRUNCATE -> {
        return Arrays.copyOf(in, (int) (at * n));
      }
      case DUPLICATE -> {
        int len = Math.min(n - i, 1 + Math.floorMod(value, 64));
        byte[] out = new byte[n + len];
        System.arraycopy(in, 0, out, 0, i + len);
        System.arraycopy(in, i, out, i + len, n - i);
        return out;
      }
      default -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 10);
        out.write(in, 0, i);
        long v = VARINTS[Math.floorMod(value, VARINTS.length)];
        long zz = (v << 1) ^ (v >> 63);
        while ((zz & ~0x7FL) != 0) {
          out.write((int) ((zz & 0x7F) | 0x80));
          zz >>>= 7;
        }
        out.write((int) zz);
        // Replace what was there (one varint's worth, at most 10 bytes): the rest keeps its place.
        int skip = Math.min(n - i, 1 + Math.floorMod(value >>> 8, 10));
        out.write(in, i + skip, n - i - skip);
        return out.toByteArray();
      }
    }
  }
}

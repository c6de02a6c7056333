package dev.bpfstream.jobs.wire;

import java.nio.charset.StandardCharsets;

/**
 * Reads an Avro binary body field by field, in the writer schema's order, without building a
 * record: for decoders that need a few fields of a hot record type and skip the rest. Anything
 * out of the ordinary (a short body, a bad length, a union or enum index out of range) throws
 * {@link Unreadable}; the caller then reads the message the ordinary way, which names the fault.
 */
public final class AvroCursor {
  /** The body is not what the cursor expects; read it with the full decoder. */
  public static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private Unreadable() {
      super("unreadable body", null, false, false);
    }
  }

  private static final Unreadable UNREADABLE = new Unreadable();

  private byte[] buf;
  private int pos;
  private int end;

  public AvroCursor reset(byte[] message, int from) {
    buf = message;
    pos = from;
    end = message.length;
    return this;
  }

  public boolean atEnd() {
    return pos == end;
  }

  public long readLong() {
    long raw = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw UNREADABLE;
      }
      int b = buf[pos++];
      raw |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw UNREADABLE;
  }

  public int readInt() {
    int raw = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      if (pos >= end) {
        throw UNREADABLE;
      }
      int b = buf[pos++];
      raw |= (b & 0x7f) << shift;
      if (b >= 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw UNREADABLE;
  }

  public boolean readBoolean() {
    if (pos >= end) {
      throw UNREADABLE;
    }
    int b = buf[pos++];
    if (b == 0) {
      return false;
    }
    if (b == 1) {
      return true;
    }
    throw UNREADABLE;
  }

  /** An enum symbol's or a union branch's index, below {@code count}. */
  public int readIndex(int count) {
    int i = readInt();
    if (i < 0 || i >= count) {
      throw UNREADABLE;
    }
    return i;
  }

  public void skipLongs(int n) {
    for (int i = 0; i < n; i++) {
      readLong();
    }
  }

  public void skipString() {
    int n = length();
    pos += n;
  }

  public String readString(InternedStrings strings) {
    int n = length();
    String s = strings.get(buf, pos, n);
    pos += n;
    return s;
  }

  /** A string not worth interning (seen once). */
  public String readFreshString() {
    int n = length();
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** An array of strings, skipped. */
  public void skipStringArray() {
    while (true) {
      long count = readLong();
      if (count == 0) {
        return;
      }
      if (count < 0) {
        long bytes = readLong();
        if (bytes < 0 || bytes > end - pos) {
          throw UNREADABLE;
        }
        pos += (int) bytes;
        continue;
      }
      if (count > end - pos) {
        throw UNREADABLE;
      }
      for (long i = 0; i < count; i++) {
        skipString();
      }
    }
  }

  private int length() {
    int n = readInt();
    if (n < 0 || n > end - pos) {
      throw UNREADABLE;
    }
    return (int) n;
  }
}

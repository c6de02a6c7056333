package dev.bpfstream.jobs.typeinfo;

import java.io.IOException;

import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Base of our hand-written serializers for mutable accumulator classes: subclasses write and read
 * the fields; copies go through the class's own deep copy.
 */
public abstract class MutableSerializer<T> extends TypeSerializerSingleton<T> {
  private static final long serialVersionUID = 1L;

  protected abstract T deepCopy(T from);

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public T copy(T from) {
    return deepCopy(from);
  }

  @Override
  public T copy(T from, T reuse) {
    return deepCopy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  /**
   * Any string, null included, of any length, in Flink's own string encoding ({@code StringValue}:
   * length + 1, then each UTF-16 unit, 7 bits a byte, low bits first), built in an array and
   * written at once: a checkpoint stream's write per byte dominated the snapshots of the workload job.
   */
  public static void writeString(String s, DataOutputView out) throws IOException {
    if (s == null) {
      out.write(0);
      return;
    }
    int n = s.length();
    if (n + 1 < 0) {
      throw new IllegalArgumentException("CharSequence is too long.");
    }
    byte[] buf = new byte[5 + 3 * n];
    int pos = varint(n + 1, buf, 0);
    for (int i = 0; i < n; i++) {
      pos = varint(s.charAt(i), buf, pos);
    }
    out.write(buf, 0, pos);
  }

  private static int varint(int v, byte[] buf, int pos) {
    while (v >= 0x80) {
      buf[pos++] = (byte) (v | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return pos;
  }

  public static String readString(DataInputView in) throws IOException {
    return StringValue.readString(in);
  }
}

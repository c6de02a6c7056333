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

  /** Any string, null included, of any length (Flink's own string encoding). */
  public static void writeString(String s, DataOutputView out) throws IOException {
    StringValue.writeString(s, out);
  }

  public static String readString(DataInputView in) throws IOException {
    return StringValue.readString(in);
  }
}

package dev.bpfstream.collector.sink;

import java.io.IOException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Writes an Avro record as one JSON object through a streaming generator, driven by the record's
 * schema: the Avro field names in schema order; int and long as numbers; float and double as
 * numbers (null when NaN or infinite, which JSON cannot hold); enums as their symbol; a union as
 * its value (null or the branch's value, no Avro type wrapper); arrays and maps as JSON arrays and
 * objects; bytes and fixed as base64 (no topic of the collector has any).
 *
 * <p>Per record class it compiles, once, one writer per field with its name encoded and the
 * generated getter bound as a typed function: numbers are not boxed and the getters are not
 * reached through the megamorphic {@code get(int)} (with a walk through {@code get(int)}, boxing
 * alone was a quarter of the reader thread's JFR samples on the open storm). Not thread-safe.
 */
@SuppressWarnings("unchecked")
public final class RecordJson {
  private final Map<Schema, FieldWriter[]> compiled = new IdentityHashMap<>();

  public void write(JsonGenerator g, IndexedRecord record) throws IOException {
    writeRecord(g, record.getSchema(), record);
  }

  private void writeRecord(JsonGenerator g, Schema schema, IndexedRecord r) throws IOException {
    FieldWriter[] fields = compiled.get(schema);
    if (fields == null) {
      fields = schema.getFields().stream().map(f -> compile(f, r.getClass())).toArray(FieldWriter[]::new);
      compiled.put(schema, fields);
    }
    g.writeStartObject();
    for (FieldWriter f : fields) {
      g.writeFieldName(f.name);
      switch (f.kind) {
        case LONG -> g.writeNumber(((ToLongFunction<Object>) f.getter).applyAsLong(r));
        case INT -> g.writeNumber(((ToIntFunction<Object>) f.getter).applyAsInt(r));
        case BOOLEAN -> g.writeBoolean(((Predicate<Object>) f.getter).test(r));
        case DOUBLE -> writeDouble(g, ((ToDoubleFunction<Object>) f.getter).applyAsDouble(r));
        case OBJECT -> writeValue(g, f.schema, ((Function<Object, Object>) f.getter).apply(r));
        case GENERIC -> writeValue(g, f.schema, r.get(f.pos));
      }
    }
    g.writeEndObject();
  }

  /** How a field's value is read: a typed getter (no boxing), an object getter, or the generic get(pos). */
  private enum Kind { LONG, INT, BOOLEAN, DOUBLE, OBJECT, GENERIC }

  /** One field of a record class: its encoded name and how to read its value. */
  private record FieldWriter(SerializedString name, Kind kind, Object getter, Schema schema, int pos) {
  }

  private static FieldWriter compile(Schema.Field field, Class<?> type) {
    Method getter = getter(type, field);
    Class<?> returns = getter == null ? null : getter.getReturnType();
    Schema.Type t = field.schema().getType();
    Kind kind;
    Object bound = null;
    if (t == Schema.Type.LONG && returns == long.class) {
      kind = Kind.LONG;
      bound = bind(getter, ToLongFunction.class, "applyAsLong", long.class);
    } else if (t == Schema.Type.INT && returns == int.class) {
      kind = Kind.INT;
      bound = bind(getter, ToIntFunction.class, "applyAsInt", int.class);
    } else if (t == Schema.Type.BOOLEAN && returns == boolean.class) {
      kind = Kind.BOOLEAN;
      bound = bind(getter, Predicate.class, "test", boolean.class);
    } else if ((t == Schema.Type.DOUBLE && returns == double.class) || (t == Schema.Type.FLOAT && returns == float.class)) {
      kind = Kind.DOUBLE;
      bound = bind(getter, ToDoubleFunction.class, "applyAsDouble", double.class);
    } else if (returns != null && !returns.isPrimitive()) {
      kind = Kind.OBJECT;
      bound = bind(getter, Function.class, "apply", Object.class);
    } else {
      kind = Kind.GENERIC; // no getter of the expected type (a generic record, a mangled name)
    }
    return new FieldWriter(new SerializedString(field.name()), kind, bound, field.schema(), field.pos());
  }

  /** The generated class's getter of this field, or null (a generic record, a mangled name). */
  private static Method getter(Class<?> type, Schema.Field field) {
    String name = field.name();
    try {
      Method m = type.getMethod("get" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
      return m.getParameterCount() == 0 ? m : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** The getter as an instance of a functional interface: an interface call, no reflection, no boxing. */
  private static Object bind(Method getter, Class<?> iface, String method, Class<?> returns) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MethodHandle target = lookup.unreflect(getter);
      MethodType erased = MethodType.methodType(returns, Object.class);
      MethodType actual = MethodType.methodType(returns == Object.class ? getter.getReturnType() : returns,
          getter.getDeclaringClass());
      return LambdaMetafactory.metafactory(lookup, method, MethodType.methodType(iface), erased, target, actual)
          .getTarget().invoke();
    } catch (Throwable e) {
      throw new IllegalStateException("binding " + getter + ": " + e, e);
    }
  }

  private void writeValue(JsonGenerator g, Schema s, Object v) throws IOException {
    switch (s.getType()) {
      case RECORD -> writeRecord(g, s, (IndexedRecord) v);
      case STRING -> g.writeString(v.toString());
      case INT -> g.writeNumber(((Number) v).intValue());
      case LONG -> g.writeNumber(((Number) v).longValue());
      case BOOLEAN -> g.writeBoolean((Boolean) v);
      case DOUBLE, FLOAT -> writeDouble(g, ((Number) v).doubleValue());
      case ENUM -> g.writeString(v.toString());
      case UNION -> {
        if (v == null) {
          g.writeNull();
        } else {
          writeValue(g, branch(s, v), v);
        }
      }
      case ARRAY -> {
        g.writeStartArray();
        for (Object item : (List<?>) v) {
          writeValue(g, s.getElementType(), item);
        }
        g.writeEndArray();
      }
      case MAP -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          g.writeFieldName(e.getKey().toString());
          writeValue(g, s.getValueType(), e.getValue());
        }
        g.writeEndObject();
      }
      case BYTES -> g.writeString(Base64.getEncoder().encodeToString(bytes((ByteBuffer) v)));
      case FIXED -> g.writeString(Base64.getEncoder().encodeToString(((GenericData.Fixed) v).bytes()));
      case NULL -> g.writeNull();
    }
  }

  private static void writeDouble(JsonGenerator g, double d) throws IOException {
    if (Double.isFinite(d)) {
      g.writeNumber(d);
    } else {
      g.writeNull();
    }
  }

  /** The branch of a union that holds {@code v} (not null): the other one of the usual [null, X]. */
  private static Schema branch(Schema union, Object v) {
    List<Schema> types = union.getTypes();
    if (types.size() == 2 && types.get(0).getType() == Schema.Type.NULL) {
      return types.get(1);
    }
    if (types.size() == 2 && types.get(1).getType() == Schema.Type.NULL) {
      return types.get(0);
    }
    return types.get(SpecificData.get().resolveUnion(union, v));
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}

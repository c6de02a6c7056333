package dev.bpfstream.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Records of any schema with every field filled at random: round trips cover every field. The
 * hostile kind draws from the edges too (Long.MIN_VALUE, NaN, empty and long strings, odd characters,
 * long lists): records that decode fine yet carry values no collector would send.
 */
public final class RandomRecords {
  private static final long[] EDGE_LONGS = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Integer.MAX_VALUE, Long.MAX_VALUE};
  private static final double[] EDGE_DOUBLES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, -1,
      Double.MAX_VALUE, Double.MIN_VALUE};
  private static final String[] EDGE_STRINGS = {"", " ", "/", "..", "../../etc/passwd", "\n", "a\u0000b", "\u00e9\u2028\ud83d\ude00",
      "%s%n", "${jndi:x}", "x".repeat(1000)};

  private final Random random;
  private final boolean hostile;

  public RandomRecords(long seed) {
    this(seed, false);
  }

  private RandomRecords(long seed, boolean hostile) {
    this.random = new Random(seed);
    this.hostile = hostile;
  }

  public static RandomRecords hostile(long seed) {
    return new RandomRecords(seed, true);
  }

  private boolean edge() {
    return hostile && random.nextInt(4) == 0;
  }

  public <T> T specific(Class<T> type) {
    Schema schema = SpecificData.get().getSchema(type);
    Object generic = generic(schema);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<>(schema).write(generic, enc);
      enc.flush();
      return new SpecificDatumReader<T>(type).read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Object generic(Schema s) {
    switch (s.getType()) {
      case RECORD: {
        GenericData.Record r = new GenericData.Record(s);
        for (Schema.Field f : s.getFields()) {
          r.put(f.pos(), generic(f.schema()));
        }
        return r;
      }
      case ENUM:
        return new GenericData.EnumSymbol(s, s.getEnumSymbols().get(random.nextInt(s.getEnumSymbols().size())));
      case ARRAY: {
        List<Object> l = new ArrayList<>();
        for (int i = edge() ? random.nextInt(100) : random.nextInt(4); i > 0; i--) {
          l.add(generic(s.getElementType()));
        }
        return new GenericData.Array<>(s, l);
      }
      case MAP: {
        Map<String, Object> m = new HashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          m.put(string(), generic(s.getValueType()));
        }
        return m;
      }
      case UNION:
        return generic(s.getTypes().get(random.nextInt(s.getTypes().size())));
      case STRING:
        return string();
      case BYTES: {
        byte[] b = new byte[random.nextInt(16)];
        random.nextBytes(b);
        return ByteBuffer.wrap(b);
      }
      case INT:
        return edge() ? (int) EDGE_LONGS[random.nextInt(EDGE_LONGS.length)] : random.nextInt();
      case LONG:
        return edge() ? EDGE_LONGS[random.nextInt(EDGE_LONGS.length)] : random.nextLong();
      case DOUBLE:
        return edge() ? EDGE_DOUBLES[random.nextInt(EDGE_DOUBLES.length)] : random.nextDouble() * 1e6;
      case FLOAT:
        return edge() ? (float) EDGE_DOUBLES[random.nextInt(EDGE_DOUBLES.length)] : random.nextFloat();
      case BOOLEAN:
        return random.nextBoolean();
      case NULL:
        return null;
      default:
        throw new IllegalArgumentException("no generator for " + s.getType());
    }
  }

  private String string() {
    if (edge()) {
      return EDGE_STRINGS[random.nextInt(EDGE_STRINGS.length)];
    }
    int n = random.nextInt(12);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }
}

package dev.bpfstream.schema;

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

/** Records of any schema with every field filled at random: round trips cover every field. */
final class RandomRecords {
  private final Random random;

  RandomRecords(long seed) {
    this.random = new Random(seed);
  }

  <T> T specific(Class<T> type) {
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

  Object generic(Schema s) {
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
        for (int i = random.nextInt(4); i > 0; i--) {
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
        return random.nextInt();
      case LONG:
        return random.nextLong();
      case DOUBLE:
        return random.nextDouble() * 1e6;
      case FLOAT:
        return random.nextFloat();
      case BOOLEAN:
        return random.nextBoolean();
      case NULL:
        return null;
      default:
        throw new IllegalArgumentException("no generator for " + s.getType());
    }
  }

  private String string() {
    int n = random.nextInt(12);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }
}

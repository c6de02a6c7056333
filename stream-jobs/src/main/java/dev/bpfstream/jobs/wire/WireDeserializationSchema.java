package dev.bpfstream.jobs.wire;

import java.io.IOException;

import dev.bpfstream.schema.WireCodec;
import dev.bpfstream.schema.WireFormatException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the project's wire format in Flink. Records travel as Avro specific records with Flink's
 * Avro serializer (no Kryo). A message that cannot be read is counted in the
 * {@code wireRejected} metric, logged with its reason, and skipped here; jobs that must keep such
 * messages read raw bytes and route them to the dead-letter topic instead.
 */
public final class WireDeserializationSchema<T extends SpecificRecordBase> implements DeserializationSchema<T> {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(WireDeserializationSchema.class);

  private final Class<T> type;
  private transient WireCodec<T> codec;
  private transient Counter rejected;

  public WireDeserializationSchema(Class<T> type) {
    this.type = type;
  }

  @Override
  public void open(InitializationContext context) {
    codec = WireCodec.of(type);
    rejected = context.getMetricGroup().counter("wireRejected");
  }

  @Override
  public T deserialize(byte[] message) throws IOException {
    if (codec == null) {
      codec = WireCodec.of(type);
    }
    try {
      return codec.decode(message);
    } catch (WireFormatException e) {
      if (rejected != null) {
        rejected.inc();
      }
      log.warn("skipped unreadable {} message: {}", type.getSimpleName(), e.getMessage());
      return null;
    }
  }

  @Override
  public boolean isEndOfStream(T nextElement) {
    return false;
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return new AvroTypeInfo<>(type);
  }
}

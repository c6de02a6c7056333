package dev.bpfstream.jobs.wire;

import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Writes records in the project's wire format from Flink sinks. */
public final class WireSerializationSchema<T extends SpecificRecord> implements SerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private transient WireCodec<T> codec;

  public WireSerializationSchema(Class<T> type) {
    this.type = type;
  }

  @Override
  public void open(InitializationContext context) {
    codec = WireCodec.of(type);
  }

  @Override
  public byte[] serialize(T element) {
    if (codec == null) {
      codec = WireCodec.of(type);
    }
    return codec.encode(element);
  }
}

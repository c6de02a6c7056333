package dev.bpfstream.schema;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer for the wire format. Thread-safe: one codec per calling thread. */
public final class WireSerializer<T extends SpecificRecord> implements Serializer<T> {
  private ThreadLocal<WireCodec<T>> codec;

  /** For Kafka's reflective construction; the type comes from {@code bpfstream.wire.type}. */
  public WireSerializer() {
  }

  public WireSerializer(Class<T> type) {
    this.codec = ThreadLocal.withInitial(() -> WireCodec.of(type));
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (codec == null) {
      Class<T> type = WireDeserializer.typeFrom(configs);
      codec = ThreadLocal.withInitial(() -> WireCodec.of(type));
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    try {
      return codec.get().encode(data);
    } catch (WireFormatException e) {
      throw new SerializationException(topic + ": " + e.getMessage(), e);
    }
  }
}

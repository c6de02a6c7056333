package dev.bpfstream.schema;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for the wire format. A message it cannot read raises a
 * {@link SerializationException} whose message gives the reason, and is counted by reason.
 */
public final class WireDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  public static final String TYPE_CONFIG = "bpfstream.wire.type";

  private final Map<WireFormatException.Reason, AtomicLong> rejected = new EnumMap<>(WireFormatException.Reason.class);
  private ThreadLocal<WireCodec<T>> codec;

  public WireDeserializer() {
    for (WireFormatException.Reason r : WireFormatException.Reason.values()) {
      rejected.put(r, new AtomicLong());
    }
  }

  public WireDeserializer(Class<T> type) {
    this(type, SchemaStore.shipped());
  }

  public WireDeserializer(Class<T> type, SchemaStore store) {
    this();
    this.codec = ThreadLocal.withInitial(() -> WireCodec.of(type, store));
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (codec == null) {
      Class<T> type = typeFrom(configs);
      codec = ThreadLocal.withInitial(() -> WireCodec.of(type));
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return codec.get().decode(data);
    } catch (WireFormatException e) {
      rejected.get(e.reason()).incrementAndGet();
      throw new SerializationException(topic + ": " + e.getMessage(), e);
    }
  }

  public long rejected(WireFormatException.Reason reason) {
    return rejected.get(reason).get();
  }

  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(AtomicLong::get).sum();
  }

  @SuppressWarnings("unchecked")
  static <T> Class<T> typeFrom(Map<String, ?> configs) {
    Object v = configs.get(TYPE_CONFIG);
    if (v == null) {
      throw new ConfigException(TYPE_CONFIG, null, "set it to the record class, e.g. " + dev.bpfstream.event.ProcessExec.class.getName());
    }
    if (v instanceof Class<?> c) {
      return (Class<T>) c;
    }
    try {
      return (Class<T>) Class.forName(v.toString());
    } catch (ClassNotFoundException e) {
      throw new ConfigException(TYPE_CONFIG, v, "no such record class");
    }
  }
}

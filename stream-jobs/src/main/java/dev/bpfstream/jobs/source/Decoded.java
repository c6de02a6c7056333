package dev.bpfstream.jobs.source;

import java.util.Map;

import dev.bpfstream.event.DeadLetter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * One Kafka record of a typed topic as its source hands it on: the record, or (when it could not
 * be read) the dead letter saying why. Exactly one of the two is set.
 */
public final class Decoded<T extends SpecificRecordBase> {
  public T value;
  public DeadLetter deadLetter;

  public Decoded() {
  }

  public static <T extends SpecificRecordBase> Decoded<T> of(T value) {
    Decoded<T> d = new Decoded<>();
    d.value = value;
    return d;
  }

  public static <T extends SpecificRecordBase> Decoded<T> rejected(DeadLetter deadLetter) {
    Decoded<T> d = new Decoded<>();
    d.deadLetter = deadLetter;
    return d;
  }

  /** A POJO of two Avro records (Flink's Avro serializer for each, no Kryo). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <T extends SpecificRecordBase> TypeInformation<Decoded<T>> typeInfo(Class<T> type) {
    return (TypeInformation<Decoded<T>>) (TypeInformation) Types.POJO(Decoded.class,
        Map.of("value", new AvroTypeInfo<>(type), "deadLetter", new AvroTypeInfo<>(DeadLetter.class)));
  }
}

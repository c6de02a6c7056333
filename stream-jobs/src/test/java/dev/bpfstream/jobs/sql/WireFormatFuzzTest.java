package dev.bpfstream.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.bpfstream.fuzz.BoundedCall;
import dev.bpfstream.fuzz.ByteMutation;
import dev.bpfstream.fuzz.RandomRecords;
import dev.bpfstream.jobs.wire.WireDeserializationSchema;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * The two Flink readers of the wire format, the SQL tables' row format ({@code bpfstream-wire}) and
 * the jobs' {@link WireDeserializationSchema} (the alerts job's inputs), fed hostile messages for
 * every topic: records with edge values, the same mutated, and random bytes. A message becomes a row
 * (a record) or is skipped with its rejection counted once; nothing else escapes, nothing hangs.
 */
class WireFormatFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(10));
  private static final Map<Topic, WireRowDeserializationSchema> ROWS = new EnumMap<>(Topic.class);
  private static final Map<Topic, WireDeserializationSchema<?>> RECORDS = new EnumMap<>(Topic.class);

  @Provide
  Arbitrary<Topic> topics() {
    return Arbitraries.of(Topic.class);
  }

  @Provide
  Arbitrary<List<ByteMutation>> mutations() {
    return ByteMutation.some();
  }

  @Property(tries = 1000)
  void recordsWithEdgeValuesBecomeRows(@ForAll("topics") Topic topic, @ForAll long seed) {
    byte[] m = encode(topic, RandomRecords.hostile(seed).specific(topic.recordType()));
    assertThat(read(topic, m)).as("a well-formed %s message", topic).isTrue();
  }

  @Property(tries = 3000)
  void mutatedMessagesBecomeRowsOrAreSkippedAndCounted(@ForAll("topics") Topic topic, @ForAll long seed,
                                                      @ForAll("mutations") List<ByteMutation> mutations) {
    read(topic, ByteMutation.applyAll(encode(topic, RandomRecords.hostile(seed).specific(topic.recordType())), mutations));
  }

  @Property(tries = 1000)
  void randomBytesAreSkippedAndCounted(@ForAll("topics") Topic topic, @ForAll @Size(max = 100) byte[] bytes) {
    read(topic, bytes);
  }

  /** Reads {@code m} with both readers; true when it was read. They must agree. */
  private static boolean read(Topic topic, byte[] m) {
    String input = topic + ": " + HexFormat.of().formatHex(m);
    SimpleCounter rowRejects = new SimpleCounter();
    SimpleCounter recordRejects = new SimpleCounter();
    WireRowDeserializationSchema rows = ROWS.computeIfAbsent(topic, WireFormatFuzzTest::rowSchema);
    WireDeserializationSchema<?> records = RECORDS.computeIfAbsent(topic, t -> recordSchema(t));
    rows.open(context(rowRejects));
    records.open(context(recordRejects));

    BoundedCall.Outcome<RowData> row = CALLS.run(() -> rows.deserialize(m), input);
    assertThat(row.thrown()).as("SQL row format on %s", input).isNull();
    BoundedCall.Outcome<Object> record = CALLS.run(() -> records.deserialize(m), input);
    assertThat(record.thrown()).as("record deserializer on %s", input).isNull();

    boolean read = row.value() != null;
    assertThat(record.value() != null).as("both readers agree on %s", input).isEqualTo(read);
    assertThat(rowRejects.getCount()).isEqualTo(read ? 0 : 1);
    assertThat(recordRejects.getCount()).isEqualTo(read ? 0 : 1);
    if (read) {
      assertThat(row.value().getArity()).isEqualTo(topic.schema().getFields().size());
    }
    return read;
  }

  private static WireRowDeserializationSchema rowSchema(Topic topic) {
    RowType type = (RowType) AvroSchemaConverter.convertToDataType(topic.schema().toString()).getLogicalType();
    int[] all = new int[type.getFieldCount()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return new WireRowDeserializationSchema(topic.schema().toString(), type, all, null);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static WireDeserializationSchema<?> recordSchema(Topic topic) {
    return new WireDeserializationSchema((Class<? extends SpecificRecordBase>) topic.recordType());
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> byte[] encode(Topic topic, Object record) {
    return WireCodec.of((Class<T>) topic.recordType()).encode((T) record);
  }

  private static DeserializationSchema.InitializationContext context(Counter counter) {
    return new DeserializationSchema.InitializationContext() {
      @Override
      public MetricGroup getMetricGroup() {
        return new UnregisteredMetricsGroup() {
          @Override
          public Counter counter(String name) {
            return counter;
          }
        };
      }

      @Override
      public UserCodeClassLoader getUserCodeClassLoader() {
        return null;
      }
    };
  }
}

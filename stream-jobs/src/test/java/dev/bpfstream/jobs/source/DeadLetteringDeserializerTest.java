package dev.bpfstream.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.jobs.testing.CountingContext;
import dev.bpfstream.jobs.testing.Poison;
import dev.bpfstream.jobs.testing.Records;
import dev.bpfstream.jobs.wire.DeadLetters;
import dev.bpfstream.schema.TrustedRecords;
import dev.bpfstream.schema.WireCodec;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The reader of typed topics: a good record passes, each kind of broken one becomes a dead letter with its reason and bytes. */
class DeadLetteringDeserializerTest {
  static {
    // In a job the source's WireCodec has done this before any record is copied.
    TrustedRecords.install();
  }

  final CollectorHealth health = Records.health("h1", Records.T0, Records.T0, 5);

  @Test
  void aReadableRecordPassesAndEachBrokenOneBecomesADeadLetterWithItsReasonAndBytes() throws Exception {
    DeadLetteringDeserializer<CollectorHealth> d = new DeadLetteringDeserializer<>(CollectorHealth.class);
    List<Decoded<CollectorHealth>> out = new ArrayList<>();
    d.deserialize(record(0, WireCodec.of(CollectorHealth.class).encode(health)), collector(out));
    List<Poison> poison = Poison.of(health);
    for (int i = 0; i < poison.size(); i++) {
      d.deserialize(record(i + 1, poison.get(i).bytes()), collector(out));
    }
    d.deserialize(record(4, new byte[0]), collector(out));

    assertThat(out).hasSize(5);
    assertThat(out.get(0).value).isEqualTo(health);
    assertThat(out.get(0).deadLetter).isNull();
    for (int i = 0; i < poison.size(); i++) {
      Decoded<CollectorHealth> r = out.get(i + 1);
      assertThat(r.value).isNull();
      assertThat(r.deadLetter.getReason()).startsWith(poison.get(i).reason() + ": ");
      assertThat(r.deadLetter.getSourceTopic()).isEqualTo("collector.health");
      assertThat(r.deadLetter.getOffset()).isEqualTo(i + 1);
      assertThat(r.deadLetter.getKey()).isEqualTo(java.nio.ByteBuffer.wrap("h1".getBytes(StandardCharsets.UTF_8)));
      assertThat(r.deadLetter.getValue()).isEqualTo(java.nio.ByteBuffer.wrap(poison.get(i).bytes()));
    }
    assertThat(out.get(4).deadLetter.getReason()).startsWith("EMPTY: ");
  }

  @Test
  void aHealthReportFarAheadOfTheJobsClockBecomesAFutureDeadLetterAndIsCounted() {
    CountingContext counters = new CountingContext();
    DeadLetteringDeserializer<CollectorHealth> d =
        new DeadLetteringDeserializer<>(CollectorHealth.class, new HealthTime(), Duration.ofMinutes(5));
    d.open(counters);
    long now = System.currentTimeMillis() * 1_000_000L;
    byte[] ahead = WireCodec.of(CollectorHealth.class).encode(Records.health("h1", now + 7200 * Records.SECOND, now, 0));
    byte[] current = WireCodec.of(CollectorHealth.class).encode(Records.health("h2", now + Records.SECOND, now, 0));
    List<Decoded<CollectorHealth>> out = new ArrayList<>();
    d.deserialize(record(0, ahead), collector(out));
    d.deserialize(record(1, current), collector(out));

    assertThat(out).hasSize(2);
    assertThat(out.get(0).value).isNull();
    assertThat(out.get(0).deadLetter.getReason()).matches("FUTURE: event time (7200\\.0|7199\\.\\d) s ahead of this job's clock \\(host h1\\), .*");
    assertThat(out.get(0).deadLetter.getValue()).isEqualTo(java.nio.ByteBuffer.wrap(ahead));
    assertThat(out.get(1).value.getHostId()).isEqualTo("h2");
    assertThat(counters.count("rejectedRecords")).isEqualTo(1);
    assertThat(counters.count("futureEvents")).isEqualTo(1);

    DeadLetteringDeserializer<CollectorHealth> unlimited = new DeadLetteringDeserializer<>(CollectorHealth.class, new HealthTime(), null);
    List<Decoded<CollectorHealth>> all = new ArrayList<>();
    unlimited.deserialize(record(0, ahead), collector(all));
    assertThat(all).singleElement().satisfies(h -> assertThat(h.value).isNotNull());
  }

  @Test
  void theTypeIsFlinksPojoOfTwoAvroRecordsAndRoundTripsEitherSide() throws Exception {
    TypeSerializer<Decoded<CollectorHealth>> s = Decoded.typeInfo(CollectorHealth.class)
        .createSerializer(new SerializerConfigImpl());
    Decoded<CollectorHealth> good = Decoded.of(health);
    Decoded<CollectorHealth> bad = Decoded.rejected(DeadLetters.of("t", 0, 7, null, new byte[] {1}, "BAD_MAGIC: x"));
    for (Decoded<CollectorHealth> d : List.of(good, bad)) {
      DataOutputSerializer o = new DataOutputSerializer(256);
      s.serialize(d, o);
      Decoded<CollectorHealth> back = s.deserialize(new DataInputDeserializer(o.getCopyOfBuffer()));
      assertThat(back.value).isEqualTo(d.value);
      assertThat(back.deadLetter).isEqualTo(d.deadLetter);
    }
  }

  @Test
  void theSplitHandsOnRecordsAndSendsDeadLettersToTheSideOutput() throws Exception {
    try (OneInputStreamOperatorTestHarness<Decoded<CollectorHealth>, CollectorHealth> h =
             new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new DeadLetterSplit<CollectorHealth>()))) {
      h.getExecutionConfig().enableObjectReuse();
      h.open();
      DeadLetter dead = DeadLetters.of("t", 0, 1, null, new byte[] {0}, "TRUNCATED: y");
      h.processElement(new StreamRecord<>(Decoded.of(health), 10));
      h.processElement(new StreamRecord<>(Decoded.<CollectorHealth>rejected(dead), 11));
      assertThat(h.extractOutputValues()).containsExactly(health);
      assertThat(h.getSideOutput(DeadLetters.TAG)).extracting(StreamRecord::getValue).containsExactly(dead);
    }
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
    return new ConsumerRecord<>("collector.health", 0, offset, "h1".getBytes(StandardCharsets.UTF_8), value);
  }

  private static <T> Collector<T> collector(List<T> into) {
    return new Collector<>() {
      @Override
      public void collect(T record) {
        into.add(record);
      }

      @Override
      public void close() {
      }
    };
  }
}

package dev.bpfstream.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.fuzz.RandomRecords;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireCodecTest {
  private final RandomRecords random = new RandomRecords(42);

  @Test
  void everyTopicsRecordSurvivesARoundTrip() {
    for (Topic t : Topic.values()) {
      roundTrip(t.recordType());
    }
  }

  private <T extends SpecificRecord> void roundTrip(Class<T> type) {
    WireCodec<T> codec = WireCodec.of(type);
    for (int i = 0; i < 20; i++) {
      T record = random.specific(type);
      byte[] bytes = codec.encode(record);
      assertThat(bytes[0]).isEqualTo((byte) 0xC3);
      assertThat(bytes[1]).isEqualTo((byte) 0x01);
      assertThat(codec.decode(bytes)).as(type.getSimpleName()).isEqualTo(record);
      assertThat(Arrays.copyOfRange(bytes, WireCodec.HEADER_BYTES, bytes.length))
          .as("%s: the body is Avro's reference binary encoding", type.getSimpleName())
          .isEqualTo(referenceBinary(record));
    }
  }

  /** The record through Avro's reflective writer (no custom coders) and its unbuffered encoder. */
  private static byte[] referenceBinary(SpecificRecord record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
      new SpecificDatumWriter<Object>(record.getSchema()).write(record, enc);
      enc.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aMessageStartingWithTheWrongMagicIsRejectedWithTheBytesSeen() {
    byte[] bytes = WireCodec.of(ProcessExec.class).encode(random.specific(ProcessExec.class));
    bytes[0] = 0x00;
    assertThatThrownBy(() -> WireCodec.of(ProcessExec.class).decode(bytes))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("not a bpfstream wire message: starts with 00")
        .extracting(e -> ((WireFormatException) e).reason()).isEqualTo(WireFormatException.Reason.BAD_MAGIC);
  }

  @Test
  void anUnknownFingerprintIsRejectedNamingTheFingerprint() {
    byte[] bytes = WireCodec.of(ProcessExec.class).encode(random.specific(ProcessExec.class));
    bytes[5] ^= 0x5A;
    assertThatThrownBy(() -> WireCodec.of(ProcessExec.class).decode(bytes))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("unknown writer schema fingerprint")
        .extracting(e -> ((WireFormatException) e).reason()).isEqualTo(WireFormatException.Reason.UNKNOWN_SCHEMA);
  }

  @Test
  void aTruncatedMessageIsRejectedAsTruncated() {
    byte[] bytes = WireCodec.of(ProcessExec.class).encode(random.specific(ProcessExec.class));
    for (int len : new int[] {1, 5, 9, 12, bytes.length - 1}) {
      assertThatThrownBy(() -> WireCodec.of(ProcessExec.class).decode(Arrays.copyOf(bytes, len)))
          .as("length " + len)
          .isInstanceOf(WireFormatException.class)
          .extracting(e -> ((WireFormatException) e).reason())
          .isIn(WireFormatException.Reason.TRUNCATED, WireFormatException.Reason.CORRUPT);
    }
  }

  @Test
  void aRecordOfAnotherTypeIsRejectedNamingBothTypes() {
    byte[] exit = WireCodec.of(ProcessExit.class).encode(random.specific(ProcessExit.class));
    assertThatThrownBy(() -> WireCodec.of(ProcessExec.class).decode(exit))
        .hasMessageContaining("holds dev.bpfstream.event.ProcessExit, expected dev.bpfstream.event.ProcessExec");
  }

  @Test
  void randomAndMutatedBytesAreRejectedWithAReasonNeverAnotherException() {
    Random r = new Random(7);
    WireCodec<ProcessExec> codec = WireCodec.of(ProcessExec.class);
    byte[] valid = codec.encode(random.specific(ProcessExec.class));
    Map<WireFormatException.Reason, Integer> seen = new EnumMap<>(WireFormatException.Reason.class);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] m;
      if (i % 2 == 0) {
        m = new byte[r.nextInt(64)];
        r.nextBytes(m);
      } else {
        m = valid.clone();
        for (int k = 1 + r.nextInt(4); k > 0; k--) {
          m[WireCodec.HEADER_BYTES + r.nextInt(m.length - WireCodec.HEADER_BYTES)] = (byte) r.nextInt();
        }
        if (r.nextBoolean()) {
          m = Arrays.copyOf(m, WireCodec.HEADER_BYTES + r.nextInt(m.length - WireCodec.HEADER_BYTES));
        }
      }
      try {
        codec.decode(m);
        accepted++;
      } catch (WireFormatException e) {
        seen.merge(e.reason(), 1, Integer::sum);
        assertThat(e.getMessage()).isNotBlank();
      }
    }
    assertThat(seen).containsKeys(WireFormatException.Reason.BAD_MAGIC, WireFormatException.Reason.CORRUPT);
    assertThat(accepted + seen.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20_000);
  }

  @Test
  void theKafkaDeserializerCountsRejectionsByReasonAndSaysWhy() {
    WireDeserializer<ProcessExec> d = new WireDeserializer<>(ProcessExec.class);
    assertThatThrownBy(() -> d.deserialize("bpf.exec", new byte[] {1, 2, 3}))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("bpf.exec: not a bpfstream wire message");
    assertThatThrownBy(() -> d.deserialize("bpf.exec", new byte[0])).isInstanceOf(SerializationException.class);
    assertThat(d.rejected(WireFormatException.Reason.BAD_MAGIC)).isEqualTo(1);
    assertThat(d.rejected(WireFormatException.Reason.EMPTY)).isEqualTo(1);
    assertThat(d.rejectedTotal()).isEqualTo(2);
  }
}

package dev.bpfstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.fuzz.BoundedCall;
import dev.bpfstream.fuzz.ByteMutation;
import dev.bpfstream.fuzz.RandomRecords;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.Size;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Hostile wire messages into the Kafka deserializer of every topic: random bytes, random bodies behind
 * a valid header, and valid messages mutated (bits flipped, bytes inserted, deleted, cut, lengths set
 * to huge or negative varints). Each is either a record that encodes back to itself, or a rejection
 * with its reason on one line, counted once under that reason. Nothing else escapes, nothing hangs.
 */
class WireMessageFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(10));
  private static final Map<Topic, WireDeserializer<?>> DESERIALIZERS = new EnumMap<>(Topic.class);
  private static final Map<Topic, WireCodec<?>> CODECS = new EnumMap<>(Topic.class);

  @Provide
  Arbitrary<Topic> topics() {
    return Arbitraries.of(Topic.class);
  }

  @Provide
  Arbitrary<List<ByteMutation>> mutations() {
    return ByteMutation.some();
  }

  @Property(tries = 2000)
  void randomBytesAreReadOrRejectedWithAReason(@ForAll("topics") Topic topic, @ForAll @Size(max = 64) byte[] bytes) {
    Statistics.collect(outcome(readOrReject(topic, bytes)));
  }

  @Property(tries = 3000)
  void randomBodiesBehindAValidHeaderAreReadOrRejected(@ForAll("topics") Topic topic, @ForAll @Size(max = 300) byte[] body) {
    byte[] header = WireCodec.header(SchemaStore.fingerprint(topic.schema()));
    byte[] m = Arrays.copyOf(header, header.length + body.length);
    System.arraycopy(body, 0, m, header.length, body.length);
    Statistics.collect(outcome(readOrReject(topic, m)));
  }

  @Property(tries = 5000)
  void mutatedValidMessagesAreReadOrRejected(@ForAll("topics") Topic topic, @ForAll long recordSeed,
                                             @ForAll("mutations") List<ByteMutation> mutations) {
    byte[] valid = valid(topic, recordSeed);
    Statistics.collect(outcome(readOrReject(topic, ByteMutation.applyAll(valid, mutations))));
  }

  private static String outcome(WireFormatException.Reason reason) {
    return reason == null ? "read" : reason.name();
  }

  @Example
  void anUnknownFingerprintIsRejectedNamingItOnEveryTopic() {
    for (Topic topic : Topic.values()) {
      byte[] m = valid(topic, 1);
      long unknown = 0x5EED_0000_0000_0001L;
      assertThat(SchemaStore.shipped().findByFingerprint(unknown)).isNull();
      ByteBuffer.wrap(m, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(unknown);
      assertThat(readOrReject(topic, m)).as(topic.name()).isEqualTo(WireFormatException.Reason.UNKNOWN_SCHEMA);
      assertThat(lastMessage).contains("unknown writer schema fingerprint " + Long.toHexString(unknown));
    }
  }

  @Example
  void everyWrongMagicByteIsRejectedNamingTheBytesSeen() {
    byte[] valid = valid(Topic.EXEC, 2);
    for (int pos = 0; pos < 2; pos++) {
      for (int b = 0; b < 256; b++) {
        byte[] m = valid.clone();
        if (m[pos] == (byte) b) {
          continue;
        }
        m[pos] = (byte) b;
        assertThat(readOrReject(Topic.EXEC, m)).isEqualTo(WireFormatException.Reason.BAD_MAGIC);
        assertThat(lastMessage).contains("starts with " + HexFormat.of().formatHex(m, 0, 2) + ", expected c301");
      }
    }
  }

  @Example
  void aMessageCutAtAnyLengthIsRejectedAsTruncatedOnEveryTopic() {
    for (Topic topic : Topic.values()) {
      byte[] valid = valid(topic, 3);
      for (int len = 0; len < valid.length; len++) {
        WireFormatException.Reason r = readOrReject(topic, Arrays.copyOf(valid, len));
        assertThat(r).as(topic + " cut to " + len + " of " + valid.length + ": " + lastMessage)
            .isEqualTo(len == 0 ? WireFormatException.Reason.EMPTY : WireFormatException.Reason.TRUNCATED);
      }
    }
  }

  @Example
  void lengthsBeyondTheLimitsAreRejectedWithoutAllocatingThem() {
    // ProcessExec starts with ctx.hostId (a string); its length is the first varint of the body.
    byte[] valid = valid(Topic.EXEC, 4);
    for (long length : new long[] {Integer.MAX_VALUE, (4 << 20) + 1, 1L << 40, -1}) {
      byte[] m = new ByteMutation(ByteMutation.Kind.SET_VARINT, 0, indexOf(length)).apply(
          Arrays.copyOfRange(valid, WireCodec.HEADER_BYTES, valid.length));
      byte[] message = Arrays.copyOf(valid, WireCodec.HEADER_BYTES + m.length);
      System.arraycopy(m, 0, message, WireCodec.HEADER_BYTES, m.length);
      assertThat(readOrReject(Topic.EXEC, message)).as("string length " + length).isEqualTo(WireFormatException.Reason.CORRUPT);
      assertThat(lastMessage).as("string length " + length).containsAnyOf("exceeds maximum", "longer than", "negative");
    }
  }

  @Example
  void theDeserializerCountsEachRejectionOnceUnderItsReason() {
    WireDeserializer<ProcessExec> d = new WireDeserializer<>(ProcessExec.class);
    byte[] valid = valid(Topic.EXEC, 5);
    byte[] unknown = valid.clone();
    unknown[9] ^= 0x40;
    for (byte[] m : List.of(new byte[0], new byte[] {1, 2}, Arrays.copyOf(valid, 20), unknown, valid)) {
      try {
        d.deserialize("bpf.exec", m);
      } catch (SerializationException expected) {
        // counted below
      }
    }
    assertThat(d.rejected(WireFormatException.Reason.EMPTY)).isEqualTo(1);
    assertThat(d.rejected(WireFormatException.Reason.BAD_MAGIC)).isEqualTo(1);
    assertThat(d.rejected(WireFormatException.Reason.TRUNCATED)).isEqualTo(1);
    assertThat(d.rejected(WireFormatException.Reason.UNKNOWN_SCHEMA)).isEqualTo(1);
    assertThat(d.rejectedTotal()).isEqualTo(4);
  }

  private String lastMessage;

  /** Deserializes {@code m} as {@code topic}'s record; null when it was read, else the reason it was rejected. */
  private WireFormatException.Reason readOrReject(Topic topic, byte[] m) {
    WireDeserializer<?> d = DESERIALIZERS.computeIfAbsent(topic, WireMessageFuzzTest::deserializer);
    long before = d.rejectedTotal();
    BoundedCall.Outcome<Object> o = CALLS.run(() -> d.deserialize(topic.topicName(), m), HexFormat.of().formatHex(m));
    if (o.thrown() == null) {
      assertThat(d.rejectedTotal()).isEqualTo(before);
      assertThat(o.value()).isNotNull();
      SpecificRecord read = (SpecificRecord) o.value();
      assertEncodesBackToItself(topic, read);
      lastMessage = null;
      return null;
    }
    Throwable t = o.thrown();
    assertThat(t).as("only SerializationException escapes; got %s for %s", t, HexFormat.of().formatHex(m))
        .isExactlyInstanceOf(SerializationException.class);
    assertThat(t.getCause()).isInstanceOf(WireFormatException.class);
    WireFormatException.Reason reason = ((WireFormatException) t.getCause()).reason();
    lastMessage = t.getMessage();
    assertThat(lastMessage).startsWith(topic.topicName() + ": ").doesNotContain("\n", "\r").hasSizeLessThan(600);
    assertThat(lastMessage.substring(topic.topicName().length() + 2)).isNotBlank();
    assertThat(d.rejectedTotal()).as("counted once").isEqualTo(before + 1);
    return reason;
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> void assertEncodesBackToItself(Topic topic, SpecificRecord read) {
    WireCodec<T> codec = (WireCodec<T>) CODECS.computeIfAbsent(topic, t -> WireCodec.of((Class<T>) t.recordType()));
    byte[] again = codec.encode((T) read);
    // Bytes, not equals(): Avro's record equality takes a NaN double (which mutated bytes can spell) as unequal to itself.
    assertThat(codec.encode(codec.decode(again))).as("%s", read).isEqualTo(again);
  }

  private static WireDeserializer<?> deserializer(Topic topic) {
    return new WireDeserializer<>(topic.recordType());
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> byte[] valid(Topic topic, long seed) {
    Class<T> type = (Class<T>) topic.recordType();
    return WireCodec.of(type).encode(new RandomRecords(seed).specific(type));
  }

  private static int indexOf(long varint) {
    for (int i = 0; i < ByteMutation.VARINTS.length; i++) {
      if (ByteMutation.VARINTS[i] == varint) {
        return i;
      }
    }
    throw new IllegalArgumentException("not in VARINTS: " + varint);
  }
}

package dev.bpfstream.jobs.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;

/** Broken copies of a good wire record, one per way a message can be unreadable, with the reason a reader must give. */
public record Poison(String reason, byte[] bytes) {
  /** A writer fingerprint no schema in the store has. */
  static final long UNKNOWN_FINGERPRINT = 0x0123_4567_89ab_cdefL;

  /** Wrong magic byte, unknown schema fingerprint, body cut in half. */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> List<Poison> of(T good) {
    byte[] bytes = WireCodec.of((Class<T>) good.getClass()).encode(good);
    byte[] badMagic = bytes.clone();
    badMagic[0] = 0x00;
    byte[] unknown = bytes.clone();
    ByteBuffer.wrap(unknown, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(UNKNOWN_FINGERPRINT);
    int bodyBytes = bytes.length - WireCodec.HEADER_BYTES;
    byte[] truncated = Arrays.copyOf(bytes, WireCodec.HEADER_BYTES + bodyBytes / 2);
    return List.of(new Poison("BAD_MAGIC", badMagic), new Poison("UNKNOWN_SCHEMA", unknown), new Poison("TRUNCATED", truncated));
  }
}

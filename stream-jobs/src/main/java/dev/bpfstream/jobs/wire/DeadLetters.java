package dev.bpfstream.jobs.wire;

import java.nio.ByteBuffer;

import dev.bpfstream.event.DeadLetter;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** Dead letters: a record a job could not use, with its bytes, where it came from and why. */
public final class DeadLetters {
  /** The side output every job routes its dead letters through, to the dead-letter topic. */
  public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

  private DeadLetters() {
  }

  /** Copies {@code key} and {@code value}: sources hand on buffers they reuse. */
  public static DeadLetter of(String topic, int partition, long offset, byte[] key, byte[] value, String reason) {
    return DeadLetter.newBuilder()
        .setSourceTopic(topic == null ? "" : topic)
        .setPartition(partition)
        .setOffset(offset)
        .setReason(reason)
        .setKey(key == null ? null : ByteBuffer.wrap(key.clone()))
        .setValue(value == null ? null : ByteBuffer.wrap(value.clone()))
        .setTimeNs(System.currentTimeMillis() * 1_000_000L)
        .build();
  }
}

package dev.bpfstream.collector.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The consumer protocol over a hand-made ring laid out as the kernel lays it out. */
class BpfRingSourceTest {
  static final int SIZE = 4096;

  /** A ring whose data area is mapped twice in a row, as the kernel does. */
  static final class FakeRing {
    final ByteBuffer consumer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    final ByteBuffer producer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    final ByteBuffer data = ByteBuffer.allocate(2 * SIZE).order(ByteOrder.LITTLE_ENDIAN);
    long prod;

    void put(byte[] payload, int flags) {
      int off = (int) (prod % SIZE);
      write(off, (payload.length | flags));
      for (int i = 0; i < payload.length; i++) {
        writeByte(off + 8 + i, payload[i]);
      }
      prod += (payload.length + 8 + 7) & ~7;
      producer.putLong(0, prod);
    }

    void write(int off, int v) {
      for (int i = 0; i < 4; i++) {
        writeByte(off + i, (byte) (v >>> (8 * i)));
      }
    }

    void writeByte(int off, byte b) {
      data.put(off % SIZE, b);
      data.put(off % SIZE + SIZE, b); // the second mapping
    }

    BpfRingSource source() {
      return new BpfRingSource(consumer, producer, data, SIZE, -1, () -> { });
    }
  }

  @Test
  void recordsArriveInOrderAndTheConsumerPositionIsPublished() {
    FakeRing ring = new FakeRing();
    BpfRingSource source = ring.source();
    for (int i = 0; i < 10; i++) {
      ring.put(new byte[] {(byte) i, 1, 2}, 0);
    }
    List<Integer> seen = new ArrayList<>();
    assertThat(source.drain((b, off, len) -> seen.add((int) b.get(off)))).isEqualTo(10);
    assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(ring.consumer.getLong(0)).isEqualTo(ring.prod);
    assertThat(source.drain((b, off, len) -> seen.add(-1))).isZero();
  }

  @Test
  void discardedRecordsAreSkippedAndABusyRecordStopsTheDrainUntilCommitted() {
    FakeRing ring = new FakeRing();
    BpfRingSource source = ring.source();
    ring.put(new byte[] {1}, 0);
    ring.put(new byte[] {2}, BpfRingSource.DISCARD);
    long busyAt = ring.prod;
    ring.put(new byte[] {3}, BpfRingSource.BUSY);
    ring.put(new byte[] {4}, 0);
    List<Integer> seen = new ArrayList<>();
    source.drain((b, off, len) -> seen.add((int) b.get(off)));
    assertThat(seen).containsExactly(1);
    assertThat(ring.consumer.getLong(0)).isEqualTo(busyAt);
    ring.write((int) (busyAt % SIZE), 1); // the producer commits it
    source.drain((b, off, len) -> seen.add((int) b.get(off)));
    assertThat(seen).containsExactly(1, 3, 4);
  }

  @Test
  void aRecordWrappingTheRingEndIsReadWholeThroughTheSecondMapping() {
    FakeRing ring = new FakeRing();
    BpfRingSource source = ring.source();
    byte[] filler = new byte[SIZE - 8 - 16];
    ring.put(filler, 0);
    source.drain((b, off, len) -> { });
    byte[] wrapping = new byte[40];
    for (int i = 0; i < wrapping.length; i++) {
      wrapping[i] = (byte) (i + 1);
    }
    ring.put(wrapping, 0);
    byte[] got = new byte[40];
    source.drain((b, off, len) -> b.get(off, got, 0, len));
    assertThat(got).isEqualTo(wrapping);
  }

  @Test
  void randomGarbageInTheRingIsCountedAsMalformedNeverReadPastTheProducer() {
    Random r = new Random(11);
    for (int round = 0; round < 2_000; round++) {
      FakeRing ring = new FakeRing();
      for (int i = 0; i < SIZE; i++) {
        ring.writeByte(i, (byte) r.nextInt());
      }
      ring.prod = 8L * r.nextInt(SIZE / 8);
      ring.producer.putLong(0, ring.prod);
      BpfRingSource source = ring.source();
      source.drain((b, off, len) -> {
        assertThat(off + len).isLessThanOrEqualTo(2 * SIZE);
      });
      assertThat(ring.consumer.getLong(0)).isLessThanOrEqualTo(ring.prod);
    }
  }
}

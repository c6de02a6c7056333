package dev.bpfstream.collector.ring;

import java.nio.ByteBuffer;

/**
 * Receives each record in place: {@code length} bytes at {@code offset} of {@code ring}
 * (little-endian). The bytes belong to the ring again once the call returns: read, don't keep.
 */
@FunctionalInterface
public interface RecordHandler {
  void onRecord(ByteBuffer ring, int offset, int length);
}

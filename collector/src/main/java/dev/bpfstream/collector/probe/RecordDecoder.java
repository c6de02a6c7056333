package dev.bpfstream.collector.probe;

import java.nio.ByteBuffer;

/**
 * Turns one probe's ring records into Avro records and hands them to the sink. Runs on the ring's
 * reader thread and reuses its record objects: no allocation beyond the strings a record carries.
 * Throws {@link MalformedRecordException} for a record it cannot read; the caller counts it.
 */
public interface RecordDecoder {
  void decode(ByteBuffer ring, int offset, int length);
}

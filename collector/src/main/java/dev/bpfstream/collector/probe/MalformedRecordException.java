package dev.bpfstream.collector.probe;

/** A ring record that does not match its declared layout; counted as a parse error, never fatal. */
public final class MalformedRecordException extends RuntimeException {
  public MalformedRecordException(String message) {
    super(message, null, false, false);
  }
}

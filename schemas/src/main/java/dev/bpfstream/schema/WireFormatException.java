package dev.bpfstream.schema;

/** A message that is not a readable record in the project's wire format; the reason says why. */
public final class WireFormatException extends RuntimeException {
  public enum Reason {
    EMPTY, BAD_MAGIC, UNKNOWN_SCHEMA, TRUNCATED, CORRUPT, WRONG_TYPE
  }

  private final Reason reason;

  public WireFormatException(Reason reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

package dev.bpfstream.collector;

/** The collector cannot start; the message is one line per problem, each naming the fix. */
public final class CollectorException extends RuntimeException {
  public CollectorException(String message) {
    super(message);
  }
}

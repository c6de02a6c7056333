package dev.bpfstream.console;

/** A request the console refuses, with the HTTP status and a one-line reason that names the fix. */
final class BadRequest extends RuntimeException {
  private final int status;

  BadRequest(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static BadRequest of(String message) {
    return new BadRequest(400, message);
  }

  int status() {
    return status;
  }
}

package dev.bpfstream.collector.bpf;

/** A libbpf or kernel call failed; the message names the call, the object and the errno text. */
public final class BpfException extends RuntimeException {
  private final int errno;

  public BpfException(String message, int errno) {
    super(message);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}

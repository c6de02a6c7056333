package dev.bpfstream.jobs.workload;

/** The plain counts kept for a scope in a window; each becomes one or more figures. */
public enum Counter {
  EVENTS, EXECS, EXITS, SHORT_LIVED, OPENS, FAILED_OPENS, SLOW_FILE_OPS, FILE_READ_BYTES, FILE_WRITE_BYTES,
  BLOCK_READS, BLOCK_WRITES, BLOCK_READ_BYTES, BLOCK_WRITE_BYTES,
  TCP_CONNECTS, TCP_ACCEPTS, TCP_CLOSES, TCP_RETRANSMITS, TCP_RESETS, TCP_BYTES, CPU_SAMPLES;

  static final Counter[] ALL = values();
}

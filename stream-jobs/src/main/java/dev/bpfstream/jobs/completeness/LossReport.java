package dev.bpfstream.jobs.completeness;

/** Events one host lost upstream, attributed to one window. A Flink POJO. */
public class LossReport {
  public String hostId;
  public String hostname;
  public long windowStartMs;
  public long lost;

  public LossReport() {
  }

  public LossReport(String hostId, String hostname, long windowStartMs, long lost) {
    this.hostId = hostId;
    this.hostname = hostname;
    this.windowStartMs = windowStartMs;
    this.lost = lost;
  }

  @Override
  public String toString() {
    return "LossReport[" + hostId + " window " + windowStartMs + " lost " + lost + "]";
  }
}

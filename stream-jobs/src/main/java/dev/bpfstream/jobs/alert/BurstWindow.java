package dev.bpfstream.jobs.alert;

/**
 * The last {@code count} short-lived exits of one subject, as a ring. A burst is the ring full with
 * its oldest entry no older than the rule's window before the newest.
 */
public class BurstWindow {
  public long[] times;
  public String[] comms;
  /** Next slot to write. */
  public int next;
  public int size;
  /** Event time of the last burst observation sent, to send at most one per second per subject. */
  public long lastSentNs;

  public BurstWindow() {
  }

  static BurstWindow of(int count) {
    BurstWindow w = new BurstWindow();
    w.times = new long[count];
    w.comms = new String[count];
    return w;
  }

  void add(long timeNs, String comm) {
    times[next] = timeNs;
    comms[next] = comm;
    next = (next + 1) % times.length;
    size = Math.min(size + 1, times.length);
  }

  /** Oldest entry of a full ring; Long.MIN_VALUE while it is not full. */
  long oldest() {
    return size < times.length ? Long.MIN_VALUE : times[next];
  }
}

package dev.bpfstream.collector.health;

import java.util.concurrent.atomic.LongAdder;

/**
 * User-side counters of one probe. Kernel-side counts (attempted, lost, rate-limited) are read from
 * the probe's stats map when a report is made; together they close: attempted == delivered +
 * lostKernel + rateLimited (kernel-side; {@link #rateLimited} here is for user-side limits, added to it).
 */
public final class ProbeCounters {
  private final String probe;
  public final LongAdder delivered = new LongAdder();
  public final LongAdder parseErrors = new LongAdder();
  public final LongAdder produced = new LongAdder();
  public final LongAdder produceErrors = new LongAdder();
  public final LongAdder dropped = new LongAdder();
  public final LongAdder spooled = new LongAdder();
  public final LongAdder rateLimited = new LongAdder();

  public ProbeCounters(String probe) {
    this.probe = probe;
  }

  public String probe() {
    return probe;
  }
}

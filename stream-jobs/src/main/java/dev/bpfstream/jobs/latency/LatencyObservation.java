package dev.bpfstream.jobs.latency;

import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.jobs.source.Observation;

/**
 * One latency input: a per-event latency (block I/O with its queue time, slow file op, TCP
 * connect) or a kernel-side log2 histogram (block I/O, run queue).
 */
public class LatencyObservation extends Observation {
  public LatencyKind kind;
  public String containerId;
  /** Block device name, or "major:minor" when the kernel gave no name. */
  public String device;
  /** pid namespace inode; 0 when unknown. */
  public long pidNs;
  /** File operation (FILE_OP). */
  public String op;
  /** The latency, for per-event inputs. */
  public long valueNs;
  /** Block I/O queue time (insert to issue); -1 when there is none. */
  public long queueNs;
  /** Non-null for kernel histograms: log2 bucket counts. */
  public long[] buckets;
  public long histogramSumNs;
}

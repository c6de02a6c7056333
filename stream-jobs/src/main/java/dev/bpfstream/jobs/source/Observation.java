package dev.bpfstream.jobs.source;

/**
 * What a job's source hands on for one Kafka record: the fields the job needs, plus where the
 * record came from so an unreadable or late one can go to the dead-letter topic with its bytes.
 * Sources reuse one instance per reader; operators must copy what they keep.
 */
public abstract class Observation {
  /** Event time of a record whose time is unknown (it could not be read): never moves watermarks. */
  public static final long NO_TIME = Long.MIN_VALUE;

  public String hostId;
  public String hostname;
  /** Event time, epoch nanoseconds. */
  public long timeNs;

  public String topic;
  public int partition;
  public long offset;
  public byte[] key;
  public byte[] value;
  /** Non-null when the record could not be read: why. */
  public String rejectReason;

  public long timestampMs() {
    return timeNs == NO_TIME ? NO_TIME : Math.floorDiv(timeNs, 1_000_000L);
  }

  public boolean rejected() {
    return rejectReason != null;
  }
}

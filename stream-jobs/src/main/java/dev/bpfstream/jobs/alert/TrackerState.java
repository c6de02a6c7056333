package dev.bpfstream.jobs.alert;

/** Per alert id: where its condition stands. A Flink POJO kept in keyed state. */
public class TrackerState {
  public boolean active;
  /** Consecutive windows with / without the condition. */
  public int hits;
  public int misses;
  /** Window start of the first window of the current run of hits. */
  public long streakStartNs;
  public long firstSeenNs;
  public long lastSeenNs;
  /** Event time of the last FIRING or UPDATE, for rate-limiting updates. */
  public long lastEmittedNs;
  public long lastWindowEndNs;
  /** Rate-of-change: weighted mean of earlier non-firing windows and how many it has learnt from. */
  public double baseline;
  public int baselineWindows;
  /** Matching events, or firing windows, since FIRING. */
  public long matches;
  /** Worst value since FIRING. */
  public Double peak;
  /** Processing time of the last observation, and of the pending quiet-check timer (0: none). */
  public long lastArrivalMs;
  public long timerAtMs;
  /** The latest observation, for the subject of UPDATE and RESOLVED records. */
  public Observation last;

  public TrackerState() {
  }
}

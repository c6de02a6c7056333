package dev.bpfstream.jobs.window;

/**
 * A mergeable aggregate of one host's (or the fleet's) events in one tumbling window. Partials of
 * the same key and window merge into the same result whatever their order or split.
 */
public interface WindowPartial<A extends WindowPartial<A>> {
  /** The key: a host id, or {@link #FLEET} for fleet-wide aggregates. */
  String hostId();

  long windowStartMs();

  long windowSizeMs();

  /** Places this partial in a (larger, aligned) window, for rollups. */
  void rewindow(long startMs, long sizeMs);

  void merge(A other);

  /** Events lost upstream in this window, for the hosts covered. */
  long lostEvents();

  /** Events aggregated (0 for a partial that only carries losses). */
  long eventCount();

  /**
   * Empties this partial for reuse after it was emitted (and so serialized: partials always cross a
   * keyBy), keeping its allocated memory. False when the type does not support reuse.
   */
  default boolean recycle() {
    return false;
  }

  /** Gives a recycled partial its new host and window. */
  default void reopen(String hostId, String hostname, long windowStartMs, long windowSizeMs) {
    throw new UnsupportedOperationException();
  }

  String FLEET = "*";
}

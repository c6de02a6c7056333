package dev.bpfstream.jobs.source;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.connector.base.source.reader.SourceReaderBase;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcher;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcherManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the fetch that the fetcher threads of a connector source reader are blocked in, so that the
 * tasks queued behind it (an offset commit) run now. It does what Flink does when a split is paused
 * or resumed: queue a task (here one that pauses and resumes nothing) and wake the fetcher. A woken
 * fetch returns no records and loses none: what the consumer had fetched stays in it for the next.
 *
 * <p>The fetchers are protected fields of Flink's {@link SourceReaderBase} and
 * {@link SplitFetcherManager} that no method hands out, hence reflection. Should a Flink version
 * rename them, this says so once in a warning and does nothing: commits then wait for the running
 * fetch to end, as they do without it.
 */
final class FetcherWakeup {
  private static final Logger log = LoggerFactory.getLogger(FetcherWakeup.class);

  private static final Field MANAGER = field(SourceReaderBase.class, "splitFetcherManager");
  private static final Field FETCHERS = field(SplitFetcherManager.class, "fetchers");

  /** The reader's fetchers by id (a concurrent map the manager keeps current); null if out of reach. */
  private final Map<?, ? extends SplitFetcher<?, ?>> fetchers;

  private FetcherWakeup(Map<?, ? extends SplitFetcher<?, ?>> fetchers) {
    this.fetchers = fetchers;
  }

  static FetcherWakeup of(SourceReader<?, ?> reader) {
    if (MANAGER == null || FETCHERS == null) {
      return new FetcherWakeup(null); // said once, when the fields were looked up
    }
    try {
      if (!(reader instanceof SourceReaderBase)) {
        throw new IllegalArgumentException("not a " + SourceReaderBase.class.getSimpleName());
      }
      @SuppressWarnings("unchecked")
      Map<?, ? extends SplitFetcher<?, ?>> f = (Map<?, ? extends SplitFetcher<?, ?>>) FETCHERS.get(MANAGER.get(reader));
      return new FetcherWakeup(f);
    } catch (IllegalAccessException | RuntimeException e) {
      log.warn("offset commits of {} wait for its running fetch (up to 10 s on an idle input): {}",
          reader.getClass().getName(), e.toString());
      return new FetcherWakeup(null);
    }
  }

  /** Wakes every fetcher of the reader; called from the task thread, as Flink's own pause and resume are. */
  void wake() {
    if (fetchers != null) {
      fetchers.values().forEach(FetcherWakeup::pauseAndResumeNothing);
    }
  }

  private static <S extends SourceSplit> void pauseAndResumeNothing(SplitFetcher<?, S> fetcher) {
    fetcher.pauseOrResumeSplits(List.of(), List.of());
  }

  private static Field field(Class<?> owner, String name) {
    try {
      Field f = owner.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException | RuntimeException e) {
      log.warn("Kafka offset commits wait for the source's running fetch (up to 10 s on an idle input): "
          + "no field {} in {} of this Flink version ({})", name, owner.getName(), e.toString());
      return null;
    }
  }
}

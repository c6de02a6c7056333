package dev.bpfstream.jobs.source;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;

/** A Kafka source reader that wakes its fetchers once the offset commit of a completed checkpoint is queued. */
final class PromptCommitReader<T> implements SourceReader<T, KafkaPartitionSplit> {
  private final SourceReader<T, KafkaPartitionSplit> kafka;
  private final FetcherWakeup fetchers;

  PromptCommitReader(SourceReader<T, KafkaPartitionSplit> kafka) {
    this.kafka = kafka;
    this.fetchers = FetcherWakeup.of(kafka);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    kafka.notifyCheckpointComplete(checkpointId);
    fetchers.wake();
  }

  @Override
  public void notifyCheckpointAborted(long checkpointId) throws Exception {
    kafka.notifyCheckpointAborted(checkpointId);
  }

  @Override
  public void start() {
    kafka.start();
  }

  @Override
  public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
    return kafka.pollNext(output);
  }

  @Override
  public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
    return kafka.snapshotState(checkpointId);
  }

  @Override
  public CompletableFuture<Void> isAvailable() {
    return kafka.isAvailable();
  }

  @Override
  public void addSplits(List<KafkaPartitionSplit> splits) {
    kafka.addSplits(splits);
  }

  @Override
  public void notifyNoMoreSplits() {
    kafka.notifyNoMoreSplits();
  }

  @Override
  public void handleSourceEvents(SourceEvent event) {
    kafka.handleSourceEvents(event);
  }

  @Override
  public void pauseOrResumeSplits(Collection<String> toPause, Collection<String> toResume) {
    kafka.pauseOrResumeSplits(toPause, toResume);
  }

  @Override
  public void close() throws Exception {
    kafka.close();
  }
}

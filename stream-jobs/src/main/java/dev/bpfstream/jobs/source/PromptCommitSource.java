package dev.bpfstream.jobs.source;

import java.util.Set;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.watermark.WatermarkDeclaration;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;

/**
 * A {@link KafkaSource} whose readers commit the offsets of each completed checkpoint to the consumer
 * group at once, so that the group's lag (kafka-consumer-groups --describe, lag exporters) follows
 * the job.
 *
 * <p>Why: the connector (5.0.0) hands the commit to the reader's fetcher thread as a task queued
 * behind the running fetch, a consumer poll that waits up to 10 s (a constant) for records, and
 * nothing ends that poll early. On an idle input the group's offsets stayed up to 10 s behind
 * the job (none at all for the first 10 s); on an input written in bursts less than 10 s apart (a
 * summary topic, written at every window) they stayed one burst behind for good. These readers wake
 * the fetcher once the commit is queued ({@link FetcherWakeup}).
 *
 * <p>A failed commit is the connector's business, unchanged: a WARN ("Failed to commit consumer
 * offsets for checkpoint N"), the {@code commitsFailed} counter of the source's
 * {@code KafkaSourceReader} metric group, the job goes on and the next checkpoint commits again.
 *
 * <p>A bounded source keeps the connector's reader: adding a split to a bounded reader makes a
 * consumer call ({@code endOffsets}) that the connector does not guard against a wake-up arriving
 * between two fetches, and a bounded run's commits only need to be right when it ends.
 */
public final class PromptCommitSource<T>
    implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T>, LineageVertexProvider {
  private static final long serialVersionUID = 1L;

  private final KafkaSource<T> kafka;

  public PromptCommitSource(KafkaSource<T> kafka) {
    this.kafka = kafka;
  }

  @Override
  public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context) throws Exception {
    SourceReader<T, KafkaPartitionSplit> reader = kafka.createReader(context);
    return kafka.getBoundedness() == Boundedness.BOUNDED ? reader : new PromptCommitReader<>(reader);
  }

  @Override
  public Boundedness getBoundedness() {
    return kafka.getBoundedness();
  }

  @Override
  public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
      SplitEnumeratorContext<KafkaPartitionSplit> context) {
    return kafka.createEnumerator(context);
  }

  @Override
  public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
      SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state) throws Exception {
    return kafka.restoreEnumerator(context, state);
  }

  @Override
  public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
    return kafka.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
    return kafka.getEnumeratorCheckpointSerializer();
  }

  @Override
  public Set<? extends WatermarkDeclaration> declareWatermarks() {
    return kafka.declareWatermarks();
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return kafka.getProducedType();
  }

  @Override
  public LineageVertex getLineageVertex() {
    return kafka.getLineageVertex();
  }
}

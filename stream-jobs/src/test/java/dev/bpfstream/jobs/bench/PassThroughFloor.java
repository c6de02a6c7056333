package dev.bpfstream.jobs.bench;

import java.util.HashMap;
import java.util.Map;

import dev.bpfstream.jobs.JobEnvironment;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.cli.JobRun;
import dev.bpfstream.jobs.latency.LatencyDecoder;
import dev.bpfstream.jobs.source.KafkaInputs;
import dev.bpfstream.jobs.source.Observation;
import dev.bpfstream.jobs.source.ObservationDecoder;
import dev.bpfstream.jobs.window.PreAggregateOperator;
import dev.bpfstream.jobs.workload.WorkloadDecoder;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The floor the stream-jobs benchmark measures the jobs against: the same Kafka source, decoder,
 * event time and checkpoints as a job over the same backlog, then only a count per partition and
 * nothing out. What this machine can do at all; each job is reported as a fraction of it.
 * {@code PassThroughFloor <bootstrap> <topic prefix> latency|workload <group> [parallelism]}, a bounded run.
 */
public final class PassThroughFloor {
  private PassThroughFloor() {
  }

  public static void main(String[] args) throws Exception {
    String mix = args[2];
    JobSettings s = JobSettings.defaults(args[0], "floor").withPrefixAndGroup(args[1], args[3], args[3]).withBounded(true)
        .withParallelism(args.length > 4 ? Integer.parseInt(args[4]) : 1);
    ObservationDecoder<? extends Observation> decoder = switch (mix) {
      case "latency" -> new LatencyDecoder(s.topicPrefix(), s.effectiveEventTime().maxAhead());
      case "workload" -> new WorkloadDecoder(s.topicPrefix(), s.effectiveEventTime().maxAhead());
      default -> throw new IllegalArgumentException("latency or workload, not " + mix);
    };
    StreamExecutionEnvironment env = JobEnvironment.create(s, new Configuration());
    build(env, s, decoder);
    JobRun.execute(env, "floor-" + mix, s);
    System.exit(0);
  }

  private static <O extends Observation> void build(StreamExecutionEnvironment env, JobSettings s, ObservationDecoder<O> decoder) {
    env.fromSource(new KafkaInputs(s).observations(decoder), s.effectiveEventTime().<O>forObservations(), "floor-events")
        .transform("count per partition", Types.LONG, new PartitionCounts<O>())
        .sinkTo(new DiscardingSink<>());
  }

  /** Counts records per topic partition; emits nothing. */
  static final class PartitionCounts<O extends Observation> extends AbstractStreamOperator<Long> implements OneInputStreamOperator<O, Long> {
    private static final long serialVersionUID = 1L;
    private transient Map<String, long[]> counts;
    private transient LongCounter observations;

    @Override
    public void open() throws Exception {
      super.open();
      counts = new HashMap<>();
      observations = new LongCounter();
      getRuntimeContext().addAccumulator(PreAggregateOperator.OBSERVATIONS, observations);
    }

    @Override
    public void processElement(StreamRecord<O> record) {
      O o = record.getValue();
      long[] perPartition = counts.get(o.topic);
      if (perPartition == null || perPartition.length <= o.partition) {
        long[] grown = new long[o.partition + 1];
        if (perPartition != null) {
          System.arraycopy(perPartition, 0, grown, 0, perPartition.length);
        }
        perPartition = grown;
        counts.put(o.topic, perPartition);
      }
      perPartition[o.partition]++;
      observations.add(1);
    }
  }
}

package dev.bpfstream.jobs.source;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.jobs.testing.Records;
import dev.bpfstream.jobs.workload.WorkloadDecoder;
import dev.bpfstream.jobs.workload.WorkloadObservation;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The workload source's per-record work: one Kafka record of bpf.exec into the reused observation,
 * with the limit on event times ahead of the clock (--max-ahead 5m, the default) and without (off);
 * and a record two hours ahead, rejected (FUTURE reason built, counted); and the check alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class ObservationDecoderBenchmark {
  @Param({"PT5M", "off"})
  public String maxAhead;

  private WorkloadDecoder decoder;
  private ConsumerRecord<byte[], byte[]> live;
  private ConsumerRecord<byte[], byte[]> ahead;
  private FutureEventLimit limit;
  private long liveNs;
  private int next;
  private final Last last = new Last();

  static final class Last implements Collector<WorkloadObservation> {
    WorkloadObservation o;

    @Override
    public void collect(WorkloadObservation record) {
      o = record;
    }

    @Override
    public void close() {
    }
  }

  @Setup
  public void setup() {
    Duration d = maxAhead.equals("off") ? null : Duration.parse(maxAhead);
    decoder = new WorkloadDecoder("", d);
    limit = new FutureEventLimit(d);
    // Event time of a live host: a second behind the job's clock.
    long nowNs = System.currentTimeMillis() * 1_000_000L;
    live = record(nowNs - Records.SECOND);
    liveNs = nowNs - Records.SECOND;
    ahead = record(nowNs + 7200 * Records.SECOND);
  }

  private static ConsumerRecord<byte[], byte[]> record(long timeNs) {
    byte[] value = WireCodec.of(ProcessExec.class).encode(Records.exec("web-1", timeNs, 1000, "curl", 0, "c0ffee1234567890"));
    return new ConsumerRecord<>(Topic.EXEC.topicName(), 0, 1L, "web-1".getBytes(), value);
  }

  @Benchmark
  public long liveExec() {
    decoder.deserialize(live, last);
    return last.o.timeNs;
  }

  /** The check alone, on event times of a live host (a different one each call). */
  @Benchmark
  public boolean limitCheckAlone() {
    return limit.admits(liveNs + (next++ & 1023));
  }

  @Benchmark
  public String execTwoHoursAhead() {
    decoder.deserialize(ahead, last);
    return last.o.rejectReason;
  }
}

package dev.bpfstream.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import dev.bpfstream.jobs.testing.CountingContext;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.fuzz.BoundedCall;
import dev.bpfstream.fuzz.ByteMutation;
import dev.bpfstream.fuzz.RandomRecords;
import dev.bpfstream.jobs.latency.LatencyAccumulator;
import dev.bpfstream.jobs.latency.LatencyDecoder;
import dev.bpfstream.jobs.latency.LatencyFolder;
import dev.bpfstream.jobs.latency.LatencyObservation;
import dev.bpfstream.jobs.latency.LatencySummaries;
import dev.bpfstream.jobs.workload.WorkloadAccumulator;
import dev.bpfstream.jobs.workload.WorkloadDecoder;
import dev.bpfstream.jobs.workload.WorkloadFolder;
import dev.bpfstream.jobs.workload.WorkloadObservation;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.Size;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The workload and latency jobs' record decoders fed hostile Kafka records: records of every topic
 * they read with values at the edges (Long.MIN_VALUE times, NaN, long lists, odd strings), the same
 * mutated on the wire, random bytes, and records of topics they do not read. Each record becomes one
 * observation or none (a TCP close for latencies); an unreadable one, or one further ahead of the
 * wall clock than the default limit, is marked rejected with a one-line reason, counted, and never
 * moves event time. What is read is folded into a window and,
 * for latencies, summarized into records the wire format can carry: no hostile value breaks a job.
 */
class ObservationDecoderFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(10));
  private static final long WINDOW_MS = 10_000;

  enum Job { WORKLOAD, LATENCY }

  private static final WorkloadDecoder WORKLOAD = new WorkloadDecoder("");
  private static final LatencyDecoder LATENCY = new LatencyDecoder("");
  /** With --max-ahead off: every extreme time reaches the folding. */
  private static final WorkloadDecoder WORKLOAD_UNLIMITED = new WorkloadDecoder("", null);
  private static final LatencyDecoder LATENCY_UNLIMITED = new LatencyDecoder("", null);

  @Provide
  Arbitrary<Job> jobs() {
    return Arbitraries.of(Job.class);
  }

  @Provide
  Arbitrary<List<ByteMutation>> mutations() {
    return ByteMutation.some();
  }

  @Property(tries = 3000)
  void hostileButWellFormedRecordsAreReadAndFolded(@ForAll("jobs") Job job, @ForAll boolean limited, @ForAll long seed,
                                                   @ForAll @net.jqwik.api.constraints.IntRange(max = 99) int pick) {
    Topic topic = topicsOf(job)[pick % topicsOf(job).length];
    Result r = check(job, limited, topic, encode(topic, RandomRecords.hostile(seed).specific(topic.recordType())), true);
    Statistics.collect(r.rejected ? "rejected (no event time, or far ahead)" : "read");
  }

  @Property(tries = 3000)
  void mutatedRecordsAreReadOrRejectedAndCounted(@ForAll("jobs") Job job, @ForAll long seed, @ForAll @net.jqwik.api.constraints.IntRange(max = 99) int pick,
                                                @ForAll("mutations") List<ByteMutation> mutations) {
    Topic topic = topicsOf(job)[pick % topicsOf(job).length];
    byte[] m = ByteMutation.applyAll(encode(topic, RandomRecords.hostile(seed).specific(topic.recordType())), mutations);
    Statistics.collect(check(job, true, topic, m, false).rejected ? "rejected" : "read");
  }

  @Property(tries = 1000)
  void randomBytesAndForeignTopicsAreRejectedAndCounted(@ForAll("jobs") Job job, @ForAll @Size(max = 100) byte[] bytes,
                                                        @ForAll @net.jqwik.api.constraints.IntRange(max = 99) int pick) {
    Topic topic = Topic.values()[pick % Topic.values().length];
    boolean reads = Arrays.asList(topicsOf(job)).contains(topic);
    Result r = check(job, true, topic, bytes, false);
    if (!reads) {
      assertThat(r.rejected).as("a topic the job does not read").isTrue();
    }
  }

  @Example
  void aRecordWhoseEventTimeIsTheNoTimeValueIsRejectedNotWindowed() {
    ProcessExec exec = RandomRecords.hostile(1).specific(ProcessExec.class);
    exec.getCtx().setTimeNs(Observation.NO_TIME);
    CountingContext counters = new CountingContext();
    WORKLOAD.open(counters);
    List<Observation> out = new ArrayList<>();
    decode(WORKLOAD, new ConsumerRecord<>(Topic.EXEC.topicName(), 0, 1L, null, WireCodec.of(ProcessExec.class).encode(exec)), out);
    assertThat(out).singleElement().satisfies(o -> {
      assertThat(o.rejectReason).isEqualTo("CORRUPT: no event time: time " + Long.MIN_VALUE);
      assertThat(o.timeNs).isEqualTo(Observation.NO_TIME);
    });
    assertThat(counters.count("rejectedRecords")).isEqualTo(1);
    assertThat(counters.count("futureEvents")).isZero();
  }

  record Result(boolean rejected) {
  }

  private static Result check(Job job, boolean limited, Topic topic, byte[] value, boolean wellFormed) {
    CountingContext counters = new CountingContext();
    ObservationDecoder<? extends Observation> decoder = job == Job.WORKLOAD
        ? (limited ? WORKLOAD : WORKLOAD_UNLIMITED) : (limited ? LATENCY : LATENCY_UNLIMITED);
    decoder.open(counters);
    List<Observation> out = new ArrayList<>();
    String input = job + " " + topic + ": " + HexFormat.of().formatHex(value);
    BoundedCall.Outcome<Object> o = CALLS.run(() -> {
      decode(decoder, new ConsumerRecord<>(topic.topicName(), 0, 7L, "host".getBytes(), value), out);
      return Boolean.TRUE;
    }, input);
    assertThat(o.thrown()).as("nothing escapes the decoder: %s", input).isNull();
    assertThat(out).hasSizeLessThanOrEqualTo(1);
    if (out.isEmpty()) {
      assertThat(counters.count("rejectedRecords")).isZero();
      return new Result(false);
    }
    Observation obs = out.get(0);
    if (obs.rejected()) {
      boolean future = obs.rejectReason.startsWith("FUTURE: ");
      if (wellFormed && limited) {
        assertThat(obs.rejectReason).as("a well-formed record is rejected only for having no event time or one far ahead")
            .satisfiesAnyOf(r -> assertThat(r).contains("no event time"), r -> assertThat(r).startsWith("FUTURE: "));
      } else if (wellFormed) {
        assertThat(obs.rejectReason).as("without a limit, a well-formed record is rejected only for having no event time").contains("no event time");
      }
      assertThat(obs.rejectReason).matches("[A-Z_]+: [^\\n\\r\u0085\u2028\u2029]+");
      assertThat(obs.timeNs).as("a rejected record never moves event time").isEqualTo(Observation.NO_TIME);
      assertThat(obs.value).isSameAs(value);
      assertThat(counters.count("rejectedRecords")).isEqualTo(1);
      assertThat(counters.count("futureEvents")).isEqualTo(future ? 1 : 0);
      return new Result(true);
    }
    assertThat(counters.count("rejectedRecords")).isZero();
    assertThat(counters.count("futureEvents")).isZero();
    assertThat(obs.timeNs).as("a read record has an event time").isNotEqualTo(Observation.NO_TIME);
    if (limited) {
      assertThat(obs.timeNs).as("no read record is beyond the limit")
          .isLessThanOrEqualTo(System.currentTimeMillis() * 1_000_000L + EventTimeSettings.DEFAULT_MAX_AHEAD.toNanos());
    }
    BoundedCall.Outcome<Object> folded = CALLS.run(() -> {
      fold(job, obs);
      return Boolean.TRUE;
    }, input);
    assertThat(folded.thrown()).as("folding %s", input).isNull();
    return new Result(false);
  }

  @SuppressWarnings("unchecked")
  private static <O extends Observation> void decode(ObservationDecoder<O> decoder, ConsumerRecord<byte[], byte[]> record,
                                                     List<Observation> out) {
    decoder.deserialize(record, new Collector<>() {
      @Override
      public void collect(O o) {
        out.add(o);
      }

      @Override
      public void close() {
      }
    });
  }

  /** Into a fresh window partial, as the pre-aggregation does; latency windows are also summarized and encoded. */
  private static void fold(Job job, Observation o) {
    long ts = o.timestampMs();
    long start = ts - Math.floorMod(ts, WINDOW_MS);
    if (job == Job.WORKLOAD) {
      WorkloadFolder f = new WorkloadFolder();
      WorkloadAccumulator a = f.newPartial(o.hostId, o.hostname, start, WINDOW_MS);
      f.fold((WorkloadObservation) o, a);
      a.merge(f.newPartial(o.hostId, o.hostname, start, WINDOW_MS));
      return;
    }
    LatencyFolder f = new LatencyFolder();
    LatencyAccumulator a = f.newPartial(o.hostId, o.hostname, start, WINDOW_MS);
    f.fold((LatencyObservation) o, a);
    List<LatencySummary> summaries = new ArrayList<>();
    new LatencySummaries().flatMap(a, new Collector<>() {
      @Override
      public void collect(LatencySummary s) {
        summaries.add(s);
      }

      @Override
      public void close() {
      }
    });
    WireCodec<LatencySummary> codec = WireCodec.of(LatencySummary.class);
    for (LatencySummary s : summaries) {
      assertThat(codec.decode(codec.encode(s))).isEqualTo(s);
    }
  }

  private static Topic[] topicsOf(Job job) {
    return job == Job.WORKLOAD ? new WorkloadDecoder("").topics() : new LatencyDecoder("").topics();
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> byte[] encode(Topic topic, Object record) {
    return WireCodec.of((Class<T>) topic.recordType()).encode((T) record);
  }

}

package dev.bpfstream.jobs.source;

import static dev.bpfstream.jobs.testing.Records.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.RunqLatencyHistogram;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.cli.JobOptions;
import dev.bpfstream.jobs.cli.WindowOptions;
import dev.bpfstream.jobs.latency.LatencyDecoder;
import dev.bpfstream.jobs.testing.CountingContext;
import dev.bpfstream.jobs.testing.Records;
import dev.bpfstream.jobs.workload.WorkloadDecoder;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The event-time limit of the workload and latency sources: an event far ahead of the job's clock is rejected and counted. */
class ObservationDecoderFutureTest {
  static final long HOUR = 3600 * SECOND;

  final CountingContext counters = new CountingContext();

  @Test
  void anEventTwoHoursAheadIsRejectedWithItsBytesAndCountedOneASecondAheadPasses() {
    WorkloadDecoder decoder = new WorkloadDecoder("", Duration.ofMinutes(5));
    decoder.open(counters);
    long now = nowNs();

    ConsumerRecord<byte[], byte[]> ahead = exec("h1", now + 2 * HOUR, 7);
    Observation rejected = decode(decoder, ahead);
    assertThat(rejected.rejectReason)
        .matches("FUTURE: event time (7200\\.0|7199\\.\\d) s ahead of this job's clock \\(host h1\\), more than --max-ahead 300 s: check the host's clock \\(NTP\\)");
    assertThat(rejected.timeNs).as("never moves event time").isEqualTo(Observation.NO_TIME);
    assertThat(rejected.value).isSameAs(ahead.value());
    assertThat(rejected.offset).isEqualTo(7);
    assertThat(counters.count("rejectedRecords")).isEqualTo(1);
    assertThat(counters.count("futureEvents")).isEqualTo(1);

    Observation passed = decode(decoder, exec("h2", now + SECOND, 8));
    assertThat(passed.rejected()).isFalse();
    assertThat(passed.timeNs).isEqualTo(now + SECOND);
    assertThat(passed.hostId).isEqualTo("h2");
    assertThat(counters.count("rejectedRecords")).isEqualTo(1);
    assertThat(counters.count("futureEvents")).isEqualTo(1);
  }

  @Test
  void withoutALimitBothPass() {
    WorkloadDecoder decoder = new WorkloadDecoder("", null);
    decoder.open(counters);
    long now = nowNs();
    assertThat(decode(decoder, exec("h1", now + 2 * HOUR, 1)).timeNs).isEqualTo(now + 2 * HOUR);
    assertThat(decode(decoder, exec("h2", now + SECOND, 2)).timeNs).isEqualTo(now + SECOND);
    assertThat(counters.count("rejectedRecords")).isZero();
    assertThat(counters.count("futureEvents")).isZero();
  }

  @Test
  void theDefaultLimitIsFiveMinutesAndTheLatencySourceAppliesItToHistogramsToo() {
    LatencyDecoder decoder = new LatencyDecoder("");
    decoder.open(counters);
    long now = nowNs();
    RunqLatencyHistogram h = Records.runqHist("h3", now + 5 * 60 * SECOND, now + 6 * 60 * SECOND, Records.log2(1, 2));
    Observation o = decode(decoder, new ConsumerRecord<>(Topic.RUNQ_HIST.topicName(), 0, 1L, null,
        WireCodec.of(RunqLatencyHistogram.class).encode(h)));
    assertThat(o.rejectReason).matches("FUTURE: event time (360\\.0|359\\.\\d) s ahead of this job's clock \\(host h3\\), more than --max-ahead 300 s: .*");
    assertThat(counters.count("futureEvents")).isEqualTo(1);

    RunqLatencyHistogram within = Records.runqHist("h3", now + 3 * 60 * SECOND, now + 4 * 60 * SECOND, Records.log2(1, 2));
    assertThat(decode(decoder, new ConsumerRecord<>(Topic.RUNQ_HIST.topicName(), 0, 2L, null,
        WireCodec.of(RunqLatencyHistogram.class).encode(within))).rejected()).isFalse();
  }

  @Test
  void eventsWithinTheLimitReadTheClockOnlyWhenTheyPassTheLimitLastComputed() {
    FutureEventLimit limit = new FutureEventLimit(Duration.ofMinutes(5));
    long now = nowNs();
    for (int i = 0; i < 100_000; i++) {
      assertThat(limit.admits(now - SECOND + i)).isTrue();
    }
    assertThat(limit.clockReads()).isEqualTo(1);
    assertThat(limit.admits(now + HOUR)).isFalse();
    assertThat(limit.admits(now + HOUR + 1)).isFalse();
    assertThat(limit.clockReads()).as("each event beyond the limit reads the clock again").isEqualTo(3);
  }

  @Test
  void extremeTimesAndLimitsNeitherOverflowNorBreakTheOneLineReason() {
    FutureEventLimit huge = new FutureEventLimit(Duration.ofSeconds(Long.MAX_VALUE));
    assertThat(huge.admits(Long.MAX_VALUE)).isTrue();
    FutureEventLimit none = new FutureEventLimit(null);
    assertThat(none.admits(Long.MAX_VALUE)).isTrue();
    assertThat(none.admits(Long.MIN_VALUE + 1)).isTrue();

    FutureEventLimit limit = new FutureEventLimit(Duration.ofMillis(1500));
    assertThat(limit.admits(Long.MAX_VALUE)).isFalse();
    assertThat(limit.reason(Long.MAX_VALUE, "evil\nhost\u2028" + "x".repeat(200)))
        .doesNotContain("\n", "\u2028").contains("(host evil?host?xxx").contains("...)").contains("--max-ahead 1.5 s");
    assertThat(limit.reason(Long.MAX_VALUE, null)).doesNotContain("host h").contains("clock, more than");
  }

  @Test
  void theLimitComesFromTheSettingsAndBoundedRunsKeepIt() {
    JobSettings s = JobSettings.defaults("127.0.0.1:1", "t");
    assertThat(s.eventTime().maxAhead()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.withBounded(true).effectiveEventTime().maxAhead()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.withBounded(true).effectiveEventTime().idleTimeout()).isNull();
    assertThat(new EventTimeSettings(Duration.ZERO, null).maxAhead()).isEqualTo(EventTimeSettings.DEFAULT_MAX_AHEAD);
    assertThat(EventTimeSettings.DEFAULT.withMaxAhead(null).withoutIdleness().maxAhead()).isNull();
  }

  @Test
  void theCommandLineTakesALimitOrOff() {
    assertThat(settings().eventTime().maxAhead()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings("--max-ahead", "90s").eventTime().maxAhead()).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings("--max-ahead", "off").eventTime().maxAhead()).isNull();
    assertThat(settings("--max-ahead", "0").eventTime().maxAhead()).isNull();
    assertThat(settings("--max-ahead", "2h", "--bounded").effectiveEventTime().maxAhead()).isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> settings("--max-ahead", "soon")).hasMessageContaining("'soon' is not a duration");
  }

  /** What an aggregate job command makes of its arguments. */
  private static JobSettings settings(String... args) {
    @Command(name = "job")
    class Job {
      @Mixin
      JobOptions job;

      @Mixin
      WindowOptions windows;
    }
    Job j = new Job();
    new CommandLine(j).parseArgs(args);
    return j.windows.applyTo(j.job.settings("t"));
  }

  private Observation decode(ObservationDecoder<? extends Observation> decoder, ConsumerRecord<byte[], byte[]> record) {
    List<Observation> out = new ArrayList<>();
    decodeInto(decoder, record, out);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  private static <O extends Observation> void decodeInto(ObservationDecoder<O> decoder, ConsumerRecord<byte[], byte[]> record, List<Observation> out) {
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

  private static ConsumerRecord<byte[], byte[]> exec(String host, long timeNs, long offset) {
    ProcessExec e = Records.exec(host, timeNs, 10, "sh", 0, null);
    return new ConsumerRecord<>(Topic.EXEC.topicName(), 0, offset, host.getBytes(StandardCharsets.UTF_8),
        WireCodec.of(ProcessExec.class).encode(e));
  }

  private static long nowNs() {
    return System.currentTimeMillis() * 1_000_000L;
  }

}

package dev.bpfstream.collector.jmh;

import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.sink.NullSink;
import dev.bpfstream.collector.sink.StdoutSink;
import dev.bpfstream.event.FileOpen;
import dev.bpfstream.event.Namespaces;
import dev.bpfstream.event.TaskContext;
import dev.bpfstream.schema.Topic;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One `open` record (as the open storm makes them) through each sink's formatting, into an output
 * that discards the bytes: `--stdout` JSON, `--format text`, and the wire encoding of `--sink null`
 * for comparison. `collector/bench/run-jmh.sh StdoutSinkBenchmark`.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class StdoutSinkBenchmark {
  private final ProbeCounters counters = new ProbeCounters("open");
  private FileOpen record;
  private StdoutSink json;
  private StdoutSink text;
  private NullSink wire;

  @Setup
  public void setUp() {
    Namespaces ns = new Namespaces(4026531832L, 4026531838L, 4026531839L, 4026531836L, 4026531833L, 4026531837L,
        4026531835L, 4026531834L);
    TaskContext ctx = new TaskContext("3d1219c7c4c5404aaa1f6d2a48adfda4", "vm", 1796691494887277783L, 1, 18936, 18936,
        18857, 0L, 0L, "openloop", 1L, null, ns, 5L);
    record = new FileOpen(ctx, "openat", "/nonexistent/x", false, 0, 0, -1, 2);
    json = new StdoutSink(OutputStream.nullOutputStream(), StdoutSink.Format.JSON, false, Duration.ofDays(1));
    text = new StdoutSink(OutputStream.nullOutputStream(), StdoutSink.Format.TEXT, false, Duration.ofDays(1));
    wire = new NullSink();
  }

  @TearDown
  public void tearDown() {
    json.close();
    text.close();
  }

  @Benchmark
  public void json() {
    json.accept(Topic.OPEN, record, counters);
  }

  @Benchmark
  public void text() {
    text.accept(Topic.OPEN, record, counters);
  }

  @Benchmark
  public void wireEncoding() {
    wire.accept(Topic.OPEN, record, counters);
  }
}

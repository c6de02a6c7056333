package dev.bpfstream.collector.jmh;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.enrich.BootClock;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.probe.ProbeHotPath;
import dev.bpfstream.collector.probes.ExecProbe;
import dev.bpfstream.collector.probes.ExitProbe;
import dev.bpfstream.collector.ring.RecordHandler;
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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The Java side of the collector's hot path on canned records (no kernel): decode one record into
 * its Avro object, enrich it and encode it in the wire format; and one `open` record (as the open
 * storm makes them) formatted by `--stdout` as JSON and as text into an output that discards the
 * bytes, beside its wire encoding. Run with
 * {@code mvn -q -pl collector -am test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.bpfstream.collector.jmh.HotPathBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class HotPathBenchmark {
  private ByteBuffer exitRecord;
  private ByteBuffer execRecord;
  private ByteBuffer execOfGoneProcess;
  private RecordHandler exit;
  private RecordHandler exec;
  private final ProbeCounters openCounters = new ProbeCounters("open");
  private FileOpen open;
  private StdoutSink json;
  private StdoutSink text;
  private NullSink wire;

  @Setup
  public void setUp() {
    HostIdentity host = new HostIdentity("3d1219c7c4c5404aaa1f6d2a48adfda4", "vm");
    BootClock clock = new BootClock();
    NullSink sink = new NullSink();
    exit = ProbeHotPath.handler(new ExitProbe(), host, clock, sink, new ProbeCounters("exit"));
    exec = ProbeHotPath.handler(new ExecProbe(), host, clock, sink, new ProbeCounters("exec"));
    int self = (int) ProcessHandle.current().pid();
    exitRecord = record(2, 120, self);
    // A live process: the directory mode is looked up once, then cached (the steady state).
    execRecord = execRecord(self);
    // A process gone before its record is read, in a directory not seen before: a failed stat each time.
    execOfGoneProcess = execRecord(Integer.MAX_VALUE);
    Namespaces ns = new Namespaces(4026531832L, 4026531838L, 4026531839L, 4026531836L, 4026531833L, 4026531837L,
        4026531835L, 4026531834L);
    open = new FileOpen(new TaskContext("3d1219c7c4c5404aaa1f6d2a48adfda4", "vm", 1796691494887277783L, 1, 18936, 18936,
        18857, 0L, 0L, "openloop", 1L, null, ns, 5L), "openat", "/nonexistent/x", false, 0, 0, -1, 2);
    json = new StdoutSink(OutputStream.nullOutputStream(), StdoutSink.Format.JSON, false, Duration.ofDays(1));
    text = new StdoutSink(OutputStream.nullOutputStream(), StdoutSink.Format.TEXT, false, Duration.ofDays(1));
    wire = new NullSink();
  }

  @TearDown
  public void tearDown() {
    json.close();
    text.close();
  }

  private static ByteBuffer execRecord(int pid) {
    ByteBuffer execRecord = record(1, 384 + 40, pid);
    // exec: filename "/usr/bin/curl", argv "curl -s http://example" (NUL-separated)
    byte[] file = "/usr/bin/curl".getBytes(StandardCharsets.UTF_8);
    execRecord.putShort(104 + 12, (short) file.length);
    execRecord.put(128, file);
    byte[] args = "curl\0-s\0http://127.0.0.1:8080/health\0".getBytes(StandardCharsets.UTF_8);
    execRecord.putShort(104 + 14, (short) args.length);
    execRecord.put(384, args);
    return execRecord;
  }

  private static ByteBuffer record(int kind, int size, int pid) {
    ByteBuffer b = ByteBuffer.allocateDirect(8192).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, kind);
    b.putInt(4, size);
    int ctx = 8;
    b.putLong(ctx, 123_456_789_000L);
    b.putLong(ctx + 8, 42);
    b.putLong(ctx + 16, 1);
    b.putInt(ctx + 24, pid);
    b.putInt(ctx + 28, pid);
    b.putInt(ctx + 32, 1);
    for (int i = 0; i < 8; i++) {
      b.putInt(ctx + 48 + 4 * i, (int) 4026531830L + i);
    }
    b.put(ctx + 80, "curl".getBytes(StandardCharsets.UTF_8));
    return b;
  }

  @Benchmark
  public void exitDecodeEncode() {
    exit.onRecord(exitRecord, 0, 120);
  }

  @Benchmark
  public void execDecodeEncode() {
    exec.onRecord(execRecord, 0, 384 + 40);
  }

  @Benchmark
  public void execOfGoneProcessDecodeEncode() {
    exec.onRecord(execOfGoneProcess, 0, 384 + 40);
  }

  @Benchmark
  public void openToStdoutJson() {
    json.accept(Topic.OPEN, open, openCounters);
  }

  @Benchmark
  public void openToStdoutText() {
    text.accept(Topic.OPEN, open, openCounters);
  }

  @Benchmark
  public void openWireEncoding() {
    wire.accept(Topic.OPEN, open, openCounters);
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(HotPathBenchmark.class.getSimpleName()).build()).run();
  }
}

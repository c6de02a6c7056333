package dev.bpfstream.jobs.alert;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.jobs.alert.rule.PatternRule;
import dev.bpfstream.jobs.alert.rule.PatternSpec;
import dev.bpfstream.jobs.alert.rule.RuleSet;
import dev.bpfstream.jobs.alert.rule.RulesParser;
import dev.bpfstream.jobs.alert.rule.SummaryRule;
import org.apache.flink.util.Collector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The alert job's per-record work outside Flink: the exec patterns on an ordinary exec (the common
 * case: no match) and on a matching one, and one lifecycle step of a windowed rule.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class AlertRulesBenchmark {
  private ExecPatterns patterns;
  private ProcessExec ordinary;
  private ProcessExec fromTmp;
  private AlertLifecycle lifecycle;
  private Observation[] windows;
  private TrackerState state;
  private int next;

  @Setup
  public void setup() throws Exception {
    RuleSet rules = RulesParser.parse(java.nio.file.Path.of("../conf/rules.yaml"));
    List<PatternRule> exec = new java.util.ArrayList<>(rules.patternRules(PatternSpec.ExecFromWorldWritableDir.class));
    exec.addAll(rules.patternRules(PatternSpec.SetuidRootExec.class));
    patterns = new ExecPatterns(exec);
    ordinary = Records.exec("web-1", "c0ffee", 1000, "/usr/bin/ls", 0755, 0, 0755, Records.T0);
    fromTmp = Records.exec("web-1", "c0ffee", 1000, "/tmp/x", 0755, 1000, 01777, Records.T0);
    lifecycle = new AlertLifecycle(rules);
    SummaryRule blockio = (SummaryRule) rules.rule("blockio-p99-high");
    windows = new Observation[1024];
    for (int i = 0; i < windows.length; i++) {
      // 20 windows above 50 ms, 20 below, ...: FIRING, UPDATEs and RESOLVEDs all happen
      long p99 = (i / 20) % 2 == 0 ? 80_000_000L : 10_000_000L;
      windows[i] = LatencyObservations.observe(blockio,
          Records.latency(LatencyKind.BLOCK_IO, "web-1", "vda", Records.T0 + i * 10 * Records.SECOND, 10 * Records.SECOND, p99));
    }
  }

  @Benchmark
  public void execPatternsNoMatch(Blackhole bh) {
    patterns.flatMap(ordinary, new Sink(bh));
  }

  @Benchmark
  public void execPatternsMatch(Blackhole bh) {
    patterns.flatMap(fromTmp, new Sink(bh));
  }

  @Benchmark
  public Object lifecycleWindowStep() {
    if (next == windows.length) {
      next = 0;
      state = null;
    }
    if (state == null) {
      state = new TrackerState();
    }
    return lifecycle.observe(windows[next++], state, 0).alert();
  }

  private record Sink(Blackhole bh) implements Collector<Observation> {
    @Override
    public void collect(Observation record) {
      bh.consume(record);
    }

    @Override
    public void close() {
    }
  }
}

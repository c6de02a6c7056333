package dev.bpfstream.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.bpfstream.collector.RecordingSink;
import dev.bpfstream.collector.bench.GetppidLoad;
import dev.bpfstream.collector.bpf.PerfEvents;
import dev.bpfstream.collector.enrich.BootClock;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.collector.enrich.Redactor;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.probes.BenchProbe;
import dev.bpfstream.collector.probes.BlockLatencyProbe;
import dev.bpfstream.collector.probes.ExecProbe;
import dev.bpfstream.collector.probes.OpenProbe;
import dev.bpfstream.collector.probes.ProbeCatalog;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.event.ProcessExit;
import org.junit.jupiter.api.Test;

/** The per-probe rate limit: its per-CPU parameters, and the kernel dropping and counting past it. */
class RateLimitTest {

  @Test
  void theLimitAndBurstAreSplitEvenlyOverTheCpusRoundedSoTheTotalStaysWithin() {
    RateLimit r = new RateLimit(1000, 0);
    assertThat(r.intervalNs(2)).isEqualTo(2_000_000);       // 500/s per CPU
    assertThat(r.perCpuBurst(2)).isEqualTo(500);             // burst 0: one second's worth
    assertThat(r.toleranceNs(2)).isEqualTo(499 * 2_000_000L);
    assertThat(new RateLimit(3, 1).intervalNs(2)).isEqualTo(666_666_667); // rounded up: 2 * 1.5/s <= 3/s
    assertThat(new RateLimit(1000, 1).perCpuBurst(4)).isEqualTo(1);       // at least one per CPU
    assertThat(new RateLimit(1000, 1).toleranceNs(4)).isZero();           // strict spacing
    assertThat(new RateLimit(1, RateLimit.MAX).toleranceNs(1024)).isPositive(); // no overflow at the bounds
    assertThat(RateLimit.NONE.intervalNs(2)).isZero();
  }

  @Test
  void theProbeWritesItsLimitIntoTheCommonConfigurationHead() {
    OpenProbe open = new OpenProbe();
    ProbeOptions options = ProbeCatalog.options(List.of("open.max-rate=1000", "open.burst=200", "open.path-max=64"));
    ByteBuffer c = open.config(ProbeSettings.defaults(), options).order(ByteOrder.LITTLE_ENDIAN);
    int cpus = PerfEvents.onlineCpus().size();
    assertThat(c.getInt(RecordLayout.CFG_MAX_EVENTS_PER_SEC)).isEqualTo(1000);
    assertThat(c.getLong(RecordLayout.CFG_RATE_INTERVAL_NS)).isEqualTo(new RateLimit(1000, 200).intervalNs(cpus)).isPositive();
    assertThat(c.getLong(RecordLayout.CFG_RATE_TOLERANCE_NS)).isEqualTo(new RateLimit(1000, 200).toleranceNs(cpus));
    assertThat(c.getInt(RecordLayout.CFG_COMMON_BYTES)).isEqualTo(64); // open's own fields (path_max first) follow the head

    ByteBuffer none = open.config(ProbeSettings.defaults(), ProbeOptions.none()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(none.getLong(RecordLayout.CFG_RATE_INTERVAL_NS)).as("unlimited by default").isZero();
    assertThat(new BlockLatencyProbe().allOptions()).extracting(ProbeOption::key).doesNotContain("max-rate");
    assertThat(new ExecProbe().allOptions()).extracting(ProbeOption::key).contains("max-rate", "burst");
  }

  @Test
  void pastTheLimitTheKernelDropsAndCountsEveryExtraEventAndTheAccountingCloses() throws Exception {
    RunningProbe.requireBpf();
    int events = 300_000;
    long maxRate = 1000;
    long burst = 100;
    RecordingSink sink = new RecordingSink();
    ProbeCounters counters = new ProbeCounters("bench");
    KernelStats k;
    long elapsedNs;
    try (GetppidLoad load = GetppidLoad.start(events, 0)) {
      BenchProbe bench = new BenchProbe((int) load.pid());
      ProbeOptions limit = ProbeOptions.none().with(bench, "max-rate", Long.toString(maxRate)).with(bench, "burst", Long.toString(burst));
      DecodeContext ctx = new DecodeContext(new TaskContextReader(new HostIdentity("h", "h"), new BootClock(), cg -> null),
          sink, counters, Redactor.defaults(), null);
      try (LoadedProbe probe = LoadedProbe.start(bench, ProbeSettings.defaults(), limit, ctx)) {
        long t0 = System.nanoTime();
        load.go();
        load.await(60);
        elapsedNs = System.nanoTime() - t0;
        probe.close();
        k = probe.kernelStats();
      }
    }
    long delivered = counters.delivered.sum();
    System.out.printf("rate limit %d/s burst %d: attempted=%d delivered=%d rateLimited=%d lost=%d in %.2f s%n",
        maxRate, burst, k.attempted(), delivered, k.rateLimited(), k.lost(), elapsedNs / 1e9);
    assertThat(k.attempted()).isEqualTo(events);
    assertThat(k.attempted()).isEqualTo(delivered + k.lost() + k.rateLimited());
    assertThat(k.lost()).isZero();
    // Each CPU's bucket starts full (burst / cpus) and then refills at its share of the rate: a
    // bound on counts from the time the load ran, with a generous margin.
    int cpus = PerfEvents.onlineCpus().size();
    long bound = burst + cpus + (long) (maxRate * (elapsedNs / 1e9 + 1) * 1.5);
    assertThat(delivered).isBetween(burst / cpus, bound);
    assertThat(k.rateLimited()).isGreaterThanOrEqualTo(events - bound);

    // The records' seq is the attempt number: per CPU it rises and skips what was dropped.
    Map<Integer, List<Long>> byCpu = new HashMap<>();
    for (ProcessExit r : sink.all(ProcessExit.class)) {
      byCpu.computeIfAbsent(r.getCtx().getCpu(), c -> new ArrayList<>()).add(r.getCtx().getSeq());
    }
    long maxSeq = 0;
    for (List<Long> seqs : byCpu.values()) {
      assertThat(seqs).isSorted().doesNotHaveDuplicates();
      maxSeq = Math.max(maxSeq, seqs.get(seqs.size() - 1));
    }
    assertThat(maxSeq).as("gaps in seq show the dropped events downstream").isGreaterThan(delivered);
  }
}

package dev.bpfstream.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.RecordingSink;
import dev.bpfstream.collector.bench.GetppidLoad;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.bpf.Tracefs;
import dev.bpfstream.collector.enrich.BootClock;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.collector.enrich.Redactor;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.probes.BenchProbe;
import dev.bpfstream.collector.sink.NullSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loss accounting closes: every record the BPF side attempted is either delivered or counted lost. */
class RingLossTest {

  @BeforeAll
  static void bpfAvailable() {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    Tracefs.ensureMounted();
  }

  @Test
  void aTinyBpfRingFloodedLosesRecordsAndEveryOneIsAccountedFor() throws Exception {
    Accounting a = flood(new ProbeSettings(4096, 4096, 50, false, 64, ownPid()));
    assertThat(a.lost).as("the flood must overrun a 4 KiB ring").isPositive();
    assertThat(a.delivered).isPositive();
    assertThat(a.attempted).isEqualTo(a.delivered + a.lost).isGreaterThanOrEqualTo(200_000);
  }

  @Test
  void theSameHoldsForThePerfRingPath() throws Exception {
    ProbeSettings perf = new ProbeSettings(ProbeSettings.DEFAULT_RING_BYTES, 2048, 50, true, 1, ownPid());
    Accounting a = flood(perf);
    assertThat(a.lost).as("the flood must overrun one-page perf rings").isPositive();
    assertThat(a.attempted).isEqualTo(a.delivered + a.lost);
    assertThat(a.lostUser).as("perf reports its own lost-sample records for the same drops").isPositive().isLessThanOrEqualTo(a.lost);
  }

  @Test
  void aRingLargeEnoughForTheLoadLosesNothingAndRecordsCarryConsecutiveSequences() throws Exception {
    RecordingSink sink = new RecordingSink();
    ProbeCounters counters = new ProbeCounters("bench");
    try (GetppidLoad load = GetppidLoad.start(5_000, 0)) {
      DecodeContext ctx = new DecodeContext(reader(), sink, counters, Redactor.defaults(), null);
      try (LoadedProbe probe = LoadedProbe.start(new BenchProbe((int) load.pid()), ProbeSettings.defaults(), ProbeOptions.none(), ctx)) {
        load.go();
        load.await(30);
        probe.close();
        KernelStats k = probe.kernelStats();
        assertThat(k.lost()).isZero();
        assertThat(k.rateLimited()).as("no rate limit unless one is set").isZero();
        assertThat(counters.delivered.sum()).isEqualTo(k.attempted()).isEqualTo(5_000);
      }
      var byCpu = new java.util.HashMap<Integer, java.util.List<Long>>();
      for (var r : sink.all(dev.bpfstream.event.ProcessExit.class)) {
        byCpu.computeIfAbsent(r.getCtx().getCpu(), c -> new java.util.ArrayList<>()).add(r.getCtx().getSeq());
      }
      for (var seqs : byCpu.values()) {
        for (int i = 1; i < seqs.size(); i++) {
          assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
        }
      }
    }
  }

  record Accounting(long attempted, long delivered, long lost, long lostUser) {
  }

  private static Accounting flood(ProbeSettings settings) throws Exception {
    ProbeCounters counters = new ProbeCounters("bench");
    try (GetppidLoad load = GetppidLoad.start(200_000, 0)) {
      DecodeContext ctx = new DecodeContext(reader(), new NullSink(), counters, Redactor.defaults(), null);
      LoadedProbe probe = LoadedProbe.start(new BenchProbe((int) load.pid()), settings, ProbeOptions.none(), ctx);
      load.go();
      load.await(60);
      probe.close(); // detach, drain what is left, read the final kernel counts
      KernelStats k = probe.kernelStats();
      return new Accounting(k.attempted(), counters.delivered.sum(), k.lost(), probe.reader().source().lostSamples());
    }
  }

  private static TaskContextReader reader() {
    return new TaskContextReader(new HostIdentity("h", "h"), new BootClock(), cg -> null);
  }

  private static int ownPid() {
    return (int) ProcessHandle.current().pid();
  }
}

package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.RecordingSink;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.bpf.Tracefs;
import dev.bpfstream.collector.enrich.BootClock;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.probe.CpuClockSampling;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.ProbeSettings;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.collector.testing.CProgram;
import dev.bpfstream.collector.testing.SchedulerLoad;
import dev.bpfstream.event.RunqLengthHistogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunqLengthProbeTest {

  @BeforeAll
  static void bpfAvailable() {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    Prerequisites.require(CProgram.missingCompiler());
    Tracefs.ensureMounted();
  }

  @Test
  void threeSpinnersPerCpuQueueAtLeastOneTaskOnEveryCpu(@TempDir Path dir) throws Exception {
    Path load = SchedulerLoad.compile(dir);
    RecordingSink sink = new RecordingSink();
    DecodeContext ctx = new DecodeContext(new TaskContextReader(new HostIdentity("host-1", "h1"), new BootClock(), cg -> null),
        sink, new ProbeCounters("runqlen"), ProbeSettings.defaults(), null);
    RunqLengthProbe probe = new RunqLengthProbe();
    int cpus = CpuClockSampling.onlineCpus().size();
    try (LoadedProbe loaded = LoadedProbe.start(probe, ctx)) {
      probe.onInterval(loaded, ctx);
      int before = sink.all(RunqLengthHistogram.class).size();
      Process p = new ProcessBuilder(load.toString(), Integer.toString(3 * cpus), "1500", "0")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      probe.onInterval(loaded, ctx);
      List<RunqLengthHistogram> loadedCpus = sink.all(RunqLengthHistogram.class).subList(before, sink.all(RunqLengthHistogram.class).size());

      assertThat(loadedCpus).hasSize(cpus);
      for (RunqLengthHistogram h : loadedCpus) {
        assertThat(h.getSamples()).as("cpu %d", h.getCpu()).isGreaterThan(50); // 99 Hz for >= 1.5 s
        assertThat(h.getWaiting().stream().mapToLong(Long::longValue).sum()).isEqualTo(h.getSamples());
        assertThat(h.getFrequencyHz()).isEqualTo(99);
      }
      double mean = loadedCpus.stream().mapToDouble(RunqLengthHistogram::getMeanWaiting).average().orElse(0);
      double occupancy = loadedCpus.stream().mapToDouble(RunqLengthHistogram::getOccupancyPercent).average().orElse(0);
      // 3 spinners per CPU leave about 2 waiting behind the running one.
      assertThat(mean).isGreaterThan(1.0);
      assertThat(occupancy).isGreaterThan(70.0);
      assertThat(loadedCpus).allMatch(h -> h.getMaxWaiting() >= 1);
    }
  }
}

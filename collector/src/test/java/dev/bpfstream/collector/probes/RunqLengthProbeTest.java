package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.RecordingSink;
import dev.bpfstream.collector.bpf.PerfEvents;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.testing.CProgram;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.collector.testing.SchedulerLoad;
import dev.bpfstream.event.RunqLengthHistogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunqLengthProbeTest {

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf(CProgram.missingCompiler());
  }

  @Test
  void threeSpinnersPerCpuQueueAtLeastOneTaskOnEveryCpu(@TempDir Path dir) throws Exception {
    Path load = SchedulerLoad.compile(dir);
    RunqLengthProbe probe = new RunqLengthProbe();
    int cpus = PerfEvents.onlineCpus().size();
    try (RunningProbe running = RunningProbe.start(probe, ProbeOptions.none().with(probe, "hz", "199"))) {
      RecordingSink sink = running.sink();
      running.drain();
      int before = sink.all(RunqLengthHistogram.class).size();
      Process p = new ProcessBuilder(load.toString(), Integer.toString(3 * cpus), "1500", "0")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      running.drain();
      List<RunqLengthHistogram> loadedCpus = sink.all(RunqLengthHistogram.class).subList(before, sink.all(RunqLengthHistogram.class).size());

      assertThat(loadedCpus).hasSize(cpus);
      for (RunqLengthHistogram h : loadedCpus) {
        assertThat(h.getSamples()).as("cpu %d", h.getCpu()).isGreaterThan(100); // 199 Hz for >= 1.5 s
        assertThat(h.getWaiting().stream().mapToLong(Long::longValue).sum()).isEqualTo(h.getSamples());
        assertThat(h.getFrequencyHz()).isEqualTo(199);
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

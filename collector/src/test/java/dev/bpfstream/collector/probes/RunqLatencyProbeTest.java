package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.RecordingSink;
import dev.bpfstream.collector.bpf.PerfEvents;
import dev.bpfstream.collector.testing.CProgram;
import dev.bpfstream.collector.testing.ChildProcesses;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.collector.testing.SchedulerLoad;
import dev.bpfstream.collector.testing.TestCgroup;
import dev.bpfstream.event.RunqLatencyHistogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads in a pid namespace of the test's own: its histogram is keyed apart from everything else on the host. */
class RunqLatencyProbeTest {

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf(CProgram.missingCompiler());
  }

  @Test
  void moreRunnableThreadsThanCpusGrowTheHistogramOfTheirPidNamespace(@TempDir Path dir) throws Exception {
    Path load = SchedulerLoad.compile(dir);
    try (TestCgroup cgroups = new TestCgroup(); ChildProcesses children = new ChildProcesses();
         RunningProbe probe = RunningProbe.start(new RunqLatencyProbe())) {
      Path cgroup = cgroups.create("runq");
      long cgroupId = TestCgroup.inode(cgroup);
      Process holder = children.start("unshare", "--pid", "--fork", "sleep", "60");
      long nsPid = ChildProcesses.await(holder, "sleep").pid();
      long pidNs = ChildProcesses.nsInode(nsPid, "pid");

      probe.drain();
      Thread.sleep(1000);
      long idle = count(drain(probe, pidNs));
      int cpus = PerfEvents.onlineCpus().size();
      runIn(cgroup, nsPid, load, 1, 50);
      List<RunqLatencyHistogram> lightRecords = drain(probe, pidNs);
      runIn(cgroup, nsPid, load, 3 * cpus, 50);
      List<RunqLatencyHistogram> heavyRecords = drain(probe, pidNs);
      long light = count(lightRecords);
      long heavy = count(heavyRecords);

      assertThat(heavy).as("idle %d, light %d, heavy %d", idle, light, heavy).isGreaterThan(light);
      assertThat(light).isPositive();
      assertThat(idle * 10).isLessThan(heavy);
      assertThat(heavyRecords).hasSize(1);
      RunqLatencyHistogram h = heavyRecords.get(0);
      assertThat(h.getCgroupId()).isEqualTo(cgroupId);
      assertThat(lightRecords).extracting(RunqLatencyHistogram::getCgroupId).containsExactly(cgroupId);
      assertThat(h.getHistogram().getBuckets()).hasSize(64);
      assertThat(h.getHistogram().getBuckets().stream().mapToLong(Long::longValue).sum()).isEqualTo(h.getHistogram().getCount());
      assertThat(h.getHistogram().getSumNs()).isPositive();
      assertThat(h.getIntervalEndNs()).isGreaterThan(h.getIntervalStartNs());
      assertThat(h.getOverflowed()).isZero();
    }
  }

  /** Runs the load in the holder's pid namespace, in the test's cgroup. */
  private static void runIn(Path cgroup, long nsPid, Path load, int threads, int sleepUs) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec nsenter --target "
        + nsPid + " --pid " + load + " " + threads + " 1000 " + sleepUs)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  /** The namespace's records of the interval that ends now. */
  private static List<RunqLatencyHistogram> drain(RunningProbe probe, long pidNs) {
    int before = ofNamespace(probe.sink(), pidNs).size();
    probe.drain();
    List<RunqLatencyHistogram> all = ofNamespace(probe.sink(), pidNs);
    return all.subList(before, all.size());
  }

  private static long count(List<RunqLatencyHistogram> records) {
    return records.stream().mapToLong(h -> h.getHistogram().getCount()).sum();
  }

  private static List<RunqLatencyHistogram> ofNamespace(RecordingSink sink, long pidNs) {
    return sink.all(RunqLatencyHistogram.class).stream().filter(h -> h.getPidNs() == pidNs).toList();
  }
}

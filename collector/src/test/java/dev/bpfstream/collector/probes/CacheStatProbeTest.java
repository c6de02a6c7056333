package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.testing.Ext4Dir;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.collector.testing.TestCgroup;
import dev.bpfstream.event.CacheStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reading a file that is not in the page cache, twice, from a cgroup of the test's own. */
class CacheStatProbeTest {
  private static final int PAGES = 2048; // 8 MiB
  @RegisterExtension
  final Ext4Dir ext4 = new Ext4Dir("cachestat");

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf();
  }

  @Test
  void theFirstReadMissesAndTheSecondHitsPerCgroupAndHostWide() throws Exception {
    Path dir = ext4.path();
    Path file = dir.resolve("cold.dat");
    // Written with O_DIRECT, so none of it is in the page cache: the first read must miss.
    run("dd", "if=/dev/urandom", "of=" + file, "bs=1M", "count=8", "oflag=direct");
    try (TestCgroup cgroups = new TestCgroup();
         RunningProbe probe = RunningProbe.start(new CacheStatProbe())) {
      Path reader = cgroups.create("reader");
      long cgroup = TestCgroup.inode(reader);
      probe.drain();

      readFrom(reader, file);
      probe.drain();
      CacheStats first = probe.sink().await(CacheStats.class, r -> r.getCgroupId() == cgroup, Duration.ofSeconds(5));
      CacheStats firstHost = lastHostWide(probe);

      readFrom(reader, file);
      probe.drain();
      CacheStats second = probe.sink().all(CacheStats.class).stream().filter(r -> r.getCgroupId() == cgroup)
          .reduce((a, b) -> b).orElseThrow();
      assertThat(second).isNotSameAs(first);

      assertThat(first.getMisses()).isBetween((long) PAGES, PAGES + 256L);
      assertThat(first.getAccesses()).isGreaterThanOrEqualTo(PAGES);
      assertThat(first.getHits()).isLessThan(PAGES / 10);
      assertThat(second.getMisses()).isLessThan(first.getMisses() / 10);
      assertThat(second.getAccesses()).isGreaterThanOrEqualTo(PAGES);
      assertThat(second.getHits()).isGreaterThan(PAGES * 9L / 10);
      assertThat(first.getHitsEstimated()).isTrue();
      assertThat(first.getAccessesEstimated()).isTrue();
      assertThat(first.getIntervalEndNs()).isGreaterThan(first.getIntervalStartNs());
      assertThat(second.getIntervalStartNs()).isEqualTo(first.getIntervalEndNs());
      // Host-wide is the sum over every cgroup of the same interval.
      assertThat(firstHost.getIntervalEndNs()).isEqualTo(first.getIntervalEndNs());
      assertThat(firstHost.getMisses()).isGreaterThanOrEqualTo(first.getMisses());
    }
  }

  @Test
  void cgroupsBeyondTheKernelMapAreCountedAsOverflowAndReported() throws Exception {
    Path dir = ext4.path();
    Path file = dir.resolve("small.dat");
    run("dd", "if=/dev/urandom", "of=" + file, "bs=64K", "count=1", "oflag=direct");
    ProbeOptions options = ProbeOptions.none().with(new CacheStatProbe(), "max-cgroups", "16");
    try (TestCgroup cgroups = new TestCgroup();
         RunningProbe probe = RunningProbe.start(new CacheStatProbe(), options)) {
      for (int i = 0; i < 20; i++) {
        readFrom(cgroups.create("c" + i), file);
      }
      long overflow = probe.loaded().kernelStats().overflow();
      assertThat(overflow).isGreaterThanOrEqualTo(4);
      var health = dev.bpfstream.collector.health.HealthReport.build("h", "h", 0, 1, 0, "test", java.util.List.of(probe.loaded()),
          java.util.List.of(), 0);
      assertThat(health.getProbes().get(0).getOverflow()).isGreaterThanOrEqualTo(overflow);
    }
  }

  private static CacheStats lastHostWide(RunningProbe probe) {
    return probe.sink().all(CacheStats.class).stream().filter(r -> r.getCgroupId() == 0).reduce((a, b) -> b).orElseThrow();
  }

  /** cat, moved into the cgroup before it execs. */
  private static void readFrom(Path cgroup, Path file) throws Exception {
    run("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec cat " + file + " > /dev/null");
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
  }
}

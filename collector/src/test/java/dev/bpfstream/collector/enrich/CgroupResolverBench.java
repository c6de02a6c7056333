package dev.bpfstream.collector.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.testing.TestCgroup;
import org.junit.jupiter.api.Test;

/**
 * Costs of the cgroup resolver with 500 extra real cgroups: a hit, a miss resolved by file handle, a
 * miss resolved by a walk. Not a test (the name keeps it out of the default run).
 * <pre>mvn -B -q -pl collector -am verify -Dbpf.check.skip=true -Dtest=CgroupResolverBench \
 *   -Dsurefire.failIfNoSpecifiedTests=false; cat collector/target/surefire-reports/*CgroupResolverBench-output.txt</pre>
 */
class CgroupResolverBench {
  private static final int CGROUPS = 500;

  @Test
  void hitMissAndWalk() throws Exception {
    Prerequisites.require(Prerequisites.rootMissing());
    try (TestCgroup cg = new TestCgroup()) {
      long[] ids = new long[CGROUPS];
      for (int i = 0; i < CGROUPS; i++) {
        ids[i] = TestCgroup.inode(cg.create(String.format("docker-%064x.scope", i)));
      }
      long[] missByHandle = new long[5];
      long hitPs = 0;
      long sink = 0;
      for (int round = 0; round < missByHandle.length; round++) {
        try (CgroupResolver r = new CgroupResolver(CgroupMount.unified(), Duration.ofSeconds(1), 65_536)) {
          long t = System.nanoTime();
          for (long id : ids) {
            sink += r.resolve(id).id();
          }
          missByHandle[round] = (System.nanoTime() - t) / CGROUPS;
          assertThat(r.stats().byHandle()).isEqualTo(CGROUPS);
          int reps = 20_000;
          t = System.nanoTime();
          for (int rep = 0; rep < reps; rep++) {
            for (long id : ids) {
              sink += r.resolve(id).id();
            }
          }
          hitPs = (System.nanoTime() - t) * 1000 / ((long) reps * CGROUPS);
        }
      }
      long[] walks = new long[10];
      CgroupResolver walker = new CgroupResolver(CgroupMount.unified(), Duration.ZERO, 65_536, System::nanoTime, false);
      for (int i = 0; i < walks.length; i++) {
        long t = System.nanoTime();
        walker.resolve(-1 - i); // unknown: every miss walks (interval zero)
        walks[i] = System.nanoTime() - t;
      }
      System.out.printf("cgroup resolver, %d cgroups in the tree (sink %d)%n", walker.stats().cached(), sink % 7);
      System.out.printf("  hit: %.1f ns/lookup (last of %d rounds of %d lookups)%n", hitPs / 1000.0,
          missByHandle.length, 20_000L * CGROUPS);
      System.out.printf("  miss resolved by file handle: median %.1f us%n", median(missByHandle) / 1e3);
      System.out.printf("  miss resolved by walking the tree: median %.1f ms over %d%n", median(walks) / 1e6,
          walks.length);
    }
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}

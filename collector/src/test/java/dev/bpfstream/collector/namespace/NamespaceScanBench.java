package dev.bpfstream.collector.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.collector.testing.ChildProcesses;
import org.junit.jupiter.api.Test;

/**
 * Scan cost with a few hundred processes. Not a test (the name keeps it out of the default run):
 * prints figures for BENCHMARKS.md.
 * <pre>mvn -B -q -pl collector -am verify -Dbpf.check.skip=true -Dtest=NamespaceScanBench \
 *   -Dsurefire.failIfNoSpecifiedTests=false; cat collector/target/surefire-reports/*NamespaceScanBench-output.txt</pre>
 */
class NamespaceScanBench {
  private static final int PLAIN = 250;
  private static final int NAMESPACED = 50; // each with its own UTS, IPC and NET namespace

  @Test
  void scanWithAFewHundredProcesses() throws Exception {
    Prerequisites.require(Prerequisites.rootMissing());
    try (ChildProcesses kids = new ChildProcesses()) {
      List<Process> started = new ArrayList<>();
      for (int i = 0; i < PLAIN; i++) {
        started.add(kids.start("sleep", "120"));
      }
      for (int i = 0; i < NAMESPACED; i++) {
        started.add(kids.start("unshare", "--uts", "--ipc", "--net", "sleep", "120"));
      }
      for (Process p : started) {
        ChildProcesses.await(p, "sleep");
      }
      long[] cold = new long[5];
      NamespaceScanner.ScanResult first = null;
      for (int i = 0; i < cold.length; i++) {
        try (NamespaceScanner fresh = new NamespaceScanner("h", "h", md -> { })) {
          first = fresh.scan();
          cold[i] = first.nanos();
        }
      }
      try (NamespaceScanner s = new NamespaceScanner("h", "h", md -> { })) {
        s.scan();
        long[] steady = new long[30];
        for (int i = 0; i < steady.length; i++) {
          steady[i] = s.scan().nanos();
        }
        System.out.printf("namespace scan: %d processes, %d namespaces (%d UTS entered by setns)%n",
            first.processes(), first.namespaces(), NAMESPACED + 1);
        System.out.printf("  first scan (describe all, fresh scanner): median %.1f ms over %d%n", median(cold) / 1e6,
            cold.length);
        System.out.printf("  steady scan (nothing new): median %.1f ms, min %.1f, max %.1f over %d%n",
            median(steady) / 1e6, min(steady) / 1e6, max(steady) / 1e6, steady.length);
        assertThat(first.processes()).isGreaterThanOrEqualTo(PLAIN + NAMESPACED);
      }
      List<Long> namespaced = new ArrayList<>();
      for (Process p : started.subList(PLAIN, started.size())) {
        namespaced.add(p.pid());
      }
      long[] observe = new long[NAMESPACED - 1];
      List<NamespaceMetadata> seen = new ArrayList<>();
      try (NamespaceScanner s = new NamespaceScanner("h", "h", seen::add)) {
        s.observe(namespaced.get(0).intValue()); // learns the host's namespaces
        for (int i = 1; i < NAMESPACED; i++) {
          long t = System.nanoTime();
          s.observe(namespaced.get(i).intValue()); // three new: UTS (entered by setns), IPC, NET
          observe[i - 1] = System.nanoTime() - t;
        }
      }
      System.out.printf("  observe(pid) with 3 new namespaces (as on a lifecycle event): median %.2f ms, max %.2f%n",
          median(observe) / 1e6, max(observe) / 1e6);
      assertThat(seen).hasSize(8 - 3 + 3 * NAMESPACED);
    }
  }

  static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static long min(long[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }

  static long max(long[] v) {
    return Arrays.stream(v).max().orElseThrow();
  }
}

package dev.bpfstream.collector.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.bpfstream.collector.bpf.BpfException;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.bpf.Tracefs;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.collector.host.HostMetricsSampler;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.ProbeCheck;
import dev.bpfstream.collector.probe.ProbeOption;
import dev.bpfstream.collector.probes.ProbeCatalog;
import picocli.CommandLine.Command;

/** Lists every probe and whether it can attach on this kernel, and why not. */
@Command(name = "probes", mixinStandardHelpOptions = true, description = "List probes and whether each can attach here.")
final class ProbesCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    List<String> missing = Privileges.missing();
    String blocker = missing.isEmpty() ? null : String.join("; ", missing);
    if (blocker == null) {
      try {
        Tracefs.ensureMounted();
      } catch (BpfException e) {
        blocker = e.getMessage();
      }
    }
    System.out.printf("%-13s %-30s %-22s %s%n", "PROBE", "REPLACES", "TOPICS", "STATUS");
    for (String name : ProbeCatalog.names()) {
      Probe p = ProbeCatalog.create(name);
      String status = blocker != null ? "cannot check: " + blocker : ProbeCheck.check(p);
      String topics = String.join(",", p.topics().stream().map(t -> t.topicName()).toList());
      System.out.printf("%-13s %-30s %-22s %s%s%n", name, p.replaces(), topics, status,
          ProbeCatalog.defaults().contains(name) ? "" : " (not on by default)");
      if (!p.notes().isEmpty()) {
        System.out.printf("%13s note: %s%n", "", p.notes());
      }
      for (ProbeOption o : p.allOptions()) {
        System.out.printf("%13s --probe-option %s.%s=<%s> (default %s): %s%n", "", name, o.key(),
            o.kind().name().toLowerCase(java.util.Locale.ROOT), o.defaultValue().isEmpty() ? "none" : o.defaultValue(), o.description());
      }
    }
    System.out.printf("%-13s %-16s %-22s %s%n", "host-metrics", "(60-second checklist)", "host.metrics", hostMetricsStatus()
        + " (collector companion, on by default)");
    return 0;
  }

  /** The /proc and /sys files the host sampler reads, and /dev/kmsg for kernel error lines. */
  private static String hostMetricsStatus() {
    try (HostMetricsSampler s = HostMetricsSampler.forHost(HostIdentity.detect(null))) {
      s.sample();
      return s.kernelLogReadable() ? "ok: samples /proc, /sys and /dev/kmsg" : "ok: samples /proc and /sys; /dev/kmsg not readable (no kernel error lines)";
    } catch (RuntimeException e) {
      return "no: " + e.getMessage();
    }
  }
}

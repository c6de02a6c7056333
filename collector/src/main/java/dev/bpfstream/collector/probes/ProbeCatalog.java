package dev.bpfstream.collector.probes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.bpfstream.collector.OneLine;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.ProbeOptions;

/** Every probe the collector can run, by name, and which run by default. */
public final class ProbeCatalog {
  private static final Map<String, Supplier<Probe>> ALL = new LinkedHashMap<>();
  private static final List<String> DEFAULTS = List.of("exec", "exit", "nslifecycle");

  static {
    ALL.put("exec", ExecProbe::new);
    ALL.put("exit", ExitProbe::new);
    ALL.put("nslifecycle", NamespaceLifecycleProbe::new);
    // Not on by default (--probes): files, block I/O, TCP, page cache, then CPU scheduling,
    // profiling and shell, which add per-CPU sampling.
    ALL.put("open", OpenProbe::new);
    ALL.put("fileslow", FileSlowProbe::new);
    ALL.put("biosnoop", BlockIoProbe::new);
    ALL.put("biolatency", BlockLatencyProbe::new);
    ALL.put("tcp", TcpProbe::new);
    ALL.put("tcpretrans", TcpRetransProbe::new);
    ALL.put("cachestat", CacheStatProbe::new);
    ALL.put("runqlat", RunqLatencyProbe::new);
    ALL.put("runqlen", RunqLengthProbe::new);
    ALL.put("profile", ProfileProbe::new);
    ALL.put("bashreadline", BashReadlineProbe::new);
  }

  private ProbeCatalog() {
  }

  public static List<String> names() {
    return List.copyOf(ALL.keySet());
  }

  public static List<String> defaults() {
    return DEFAULTS;
  }

  public static Probe create(String name) {
    Supplier<Probe> s = ALL.get(name);
    if (s == null) {
      throw new IllegalArgumentException("unknown probe '" + OneLine.of(name) + "'; known probes: " + String.join(", ", ALL.keySet()));
    }
    return s.get();
  }

  /** {@code --probe-option} assignments checked against these probes. */
  public static ProbeOptions options(List<String> assignments) {
    return ProbeOptions.parse(assignments, ProbeCatalog::create);
  }

  public static List<Probe> create(List<String> names) {
    List<Probe> out = new ArrayList<>();
    for (String n : names) {
      out.add(create(n.trim()));
    }
    return out;
  }
}

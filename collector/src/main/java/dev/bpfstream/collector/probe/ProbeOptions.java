package dev.bpfstream.collector.probe;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.bpfstream.collector.OneLine;

/**
 * Per-probe limits from {@code --probe-option <probe>.<key>=<value>} (repeatable). Each probe
 * declares its options ({@link Probe#options()}: key, kind, default, description, bounds; ring
 * probes also take the common rate limit, {@link RateLimit}); values
 * are checked here at start-up, against the catalog, so a typo fails before anything loads.
 */
public final class ProbeOptions {
  private static final ProbeOptions NONE = new ProbeOptions(Map.of());

  /** probe name → key → raw value. */
  private final Map<String, Map<String, String>> values;

  private ProbeOptions(Map<String, Map<String, String>> values) {
    this.values = values;
  }

  public static ProbeOptions none() {
    return NONE;
  }

  /**
   * Parses and checks {@code probe.key=value} assignments against the probes {@code probeNamed}
   * returns (it throws IllegalArgumentException for an unknown name); later ones win.
   */
  public static ProbeOptions parse(List<String> assignments, Function<String, Probe> probeNamed) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String a : assignments) {
      int dot = a.indexOf('.');
      int eq = a.indexOf('=');
      if (dot <= 0 || eq < dot + 2) {
        throw new IllegalArgumentException("--probe-option " + OneLine.of(a) + ": use <probe>.<key>=<value>, e.g. fileslow.min-latency=10ms");
      }
      String name = a.substring(0, dot);
      String key = a.substring(dot + 1, eq);
      String value = a.substring(eq + 1);
      Probe probe;
      try {
        probe = probeNamed.apply(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--probe-option " + OneLine.of(a) + ": " + e.getMessage());
      }
      definition(probe, key).parse(name, value);
      out.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(key, value);
    }
    return new ProbeOptions(Collections.unmodifiableMap(out));
  }

  /** Returns a copy with one more assignment (tests, benchmarks). */
  public ProbeOptions with(Probe probe, String key, String value) {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    values.forEach((p, m) -> copy.put(p, new LinkedHashMap<>(m)));
    definition(probe, key).parse(probe.name(), value);
    copy.computeIfAbsent(probe.name(), n -> new LinkedHashMap<>()).put(key, value);
    return new ProbeOptions(copy);
  }

  public Duration duration(Probe probe, String key) {
    return (Duration) value(probe, key);
  }

  public long number(Probe probe, String key) {
    return (Long) value(probe, key);
  }

  public boolean flag(Probe probe, String key) {
    return (Boolean) value(probe, key);
  }

  @SuppressWarnings("unchecked")
  public List<String> list(Probe probe, String key) {
    return (List<String>) value(probe, key);
  }

  /** The assignments given for {@code probe}, for logs. */
  public Map<String, String> given(String probe) {
    return values.getOrDefault(probe, Map.of());
  }

  private Object value(Probe probe, String key) {
    ProbeOption def = definition(probe, key);
    String raw = values.getOrDefault(probe.name(), Map.of()).getOrDefault(key, def.defaultValue());
    return def.parse(probe.name(), raw);
  }

  private static ProbeOption definition(Probe probe, String key) {
    for (ProbeOption o : probe.allOptions()) {
      if (o.key().equals(key)) {
        return o;
      }
    }
    String known = probe.allOptions().isEmpty() ? "it takes no options"
        : "it takes: " + probe.allOptions().stream().map(ProbeOption::key).collect(Collectors.joining(", "));
    throw new IllegalArgumentException("--probe-option " + probe.name() + "." + OneLine.of(key) + ": probe " + probe.name()
        + " has no option '" + OneLine.of(key) + "'; " + known);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}

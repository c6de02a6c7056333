package dev.bpfstream.collector.testing;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.RecordingSink;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.bpf.Tracefs;
import dev.bpfstream.collector.enrich.BootClock;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.collector.enrich.Redactor;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.namespace.NamespaceObserver;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.ProbeSettings;
import dev.bpfstream.collector.probe.TaskContextReader;

/** One real probe loaded and attached, its records decoded into a {@link RecordingSink}. */
public final class RunningProbe implements AutoCloseable {
  private final RecordingSink sink = new RecordingSink();
  private final ProbeCounters counters;
  private final DecodeContext context;
  private final LoadedProbe loaded;

  private RunningProbe(Probe probe, ProbeSettings settings, ProbeOptions options, NamespaceObserver namespaces) {
    counters = new ProbeCounters(probe.name());
    context = new DecodeContext(new TaskContextReader(new HostIdentity("host-1", "h1"), new BootClock(), cg -> null),
        sink, counters, Redactor.defaults(), namespaces);
    loaded = LoadedProbe.start(probe, settings, options, context);
  }

  /**
   * Skips (or under BPFSTREAM_REQUIRE_ALL fails) without root/BPF or when one of {@code alsoMissing}
   * is not null (e.g. {@link CProgram#missingCompiler()}); mounts tracefs.
   */
  public static void requireBpf(String... alsoMissing) {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    for (String reason : alsoMissing) {
      Prerequisites.require(reason);
    }
    Tracefs.ensureMounted();
  }

  /** With the default ring and options. */
  public static RunningProbe start(Probe probe) {
    return start(probe, ProbeSettings.defaults(), ProbeOptions.none());
  }

  public static RunningProbe start(Probe probe, ProbeOptions options) {
    return start(probe, ProbeSettings.defaults(), options);
  }

  public static RunningProbe start(Probe probe, ProbeSettings settings, ProbeOptions options) {
    return new RunningProbe(probe, settings, options, NamespaceObserver.NONE);
  }

  /** With the default ring and options, telling {@code namespaces} what the probe learns of namespaces. */
  public static RunningProbe start(Probe probe, NamespaceObserver namespaces) {
    return new RunningProbe(probe, ProbeSettings.defaults(), ProbeOptions.none(), namespaces);
  }

  public RecordingSink sink() {
    return sink;
  }

  public LoadedProbe loaded() {
    return loaded;
  }

  public ProbeCounters counters() {
    return counters;
  }

  /** Runs the probe's interval work now (histogram and counter drains). */
  public void drain() {
    loaded.probe().onInterval(loaded, context);
  }

  @Override
  public void close() {
    loaded.close();
  }
}

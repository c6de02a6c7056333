package dev.bpfstream.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.probes.ProbeCatalog;
import dev.bpfstream.collector.testing.RunningProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verifier sees the configuration as constants, so a probe that loads with its defaults can
 * still be rejected at the ends of its limits: load every probe with each byte limit its BPF code
 * computes with (SIZE options) at its minimum and at its maximum.
 */
class ProbeLimitsLoadTest {

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf();
  }

  @Test
  void everyProbeLoadsAtBothEndsOfEveryByteLimit() {
    for (String name : List.of("open", "fileslow", "biosnoop", "biolatency", "tcp", "tcpretrans", "cachestat")) {
      Probe probe = ProbeCatalog.create(name);
      for (ProbeOption o : probe.options()) {
        if (o.kind() != ProbeOption.Kind.SIZE) {
          continue;
        }
        for (long v : new long[] {o.min(), o.max()}) {
          ProbeOptions options = ProbeOptions.none().with(probe, o.key(), Long.toString(v));
          assertThat(load(probe, options)).as(name + "." + o.key() + "=" + v).isNull();
        }
      }
    }
  }

  private static String load(Probe probe, ProbeOptions options) {
    try (BpfObject o = BpfObject.open(probe.name(), LoadedProbe.objectBytes(probe))) {
      o.writeConfig(probe.config(ProbeSettings.defaults(), options));
      o.setMaxEntries("events", 4096 * 4);
      probe.prepare(o, options);
      o.load();
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }
}

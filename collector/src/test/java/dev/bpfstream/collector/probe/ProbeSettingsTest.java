package dev.bpfstream.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfstream.collector.probes.ExecProbe;
import dev.bpfstream.collector.probes.OpenProbe;
import org.junit.jupiter.api.Test;

class ProbeSettingsTest {

  @Test
  void withoutAGivenSizeEachProbeGetsItsOwnRingAndAGivenSizeIsEveryProbes() {
    ProbeSettings perProbe = ProbeSettings.perProbeRing(false);
    assertThat(perProbe.forProbe(new OpenProbe()).ringBytes()).isEqualTo(32 << 20);
    assertThat(perProbe.forProbe(new ExecProbe()).ringBytes()).isEqualTo(ProbeSettings.DEFAULT_RING_BYTES);
    assertThat(perProbe.forProbe(new OpenProbe()).wakeupBytes()).isEqualTo(256 << 10);

    ProbeSettings given = ProbeSettings.ring(64 << 10, false);
    assertThat(given.forProbe(new OpenProbe()).ringBytes()).isEqualTo(64 << 10);
    assertThat(given.forProbe(new OpenProbe()).wakeupBytes()).isEqualTo(16 << 10);
    assertThat(given.forProbe(new ExecProbe())).isSameAs(given);
  }
}

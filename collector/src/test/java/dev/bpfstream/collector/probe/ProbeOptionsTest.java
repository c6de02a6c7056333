package dev.bpfstream.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import dev.bpfstream.collector.probes.FileSlowProbe;
import dev.bpfstream.collector.probes.OpenProbe;
import dev.bpfstream.collector.probes.ProbeCatalog;
import org.junit.jupiter.api.Test;

class ProbeOptionsTest {

  @Test
  void defaultsHoldUntilAnAssignmentOverridesThem() {
    FileSlowProbe p = new FileSlowProbe();
    assertThat(ProbeOptions.none().duration(p, "min-latency")).isEqualTo(Duration.ofMillis(10));
    ProbeOptions o = ProbeCatalog.options(List.of("fileslow.min-latency=250us", "fileslow.fs-types=ext4, xfs", "open.path-max=1K"));
    assertThat(o.duration(p, "min-latency")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(o.list(p, "fs-types")).containsExactly("ext4", "xfs");
    assertThat(o.number(new OpenProbe(), "path-max")).isEqualTo(1024);
    assertThat(o.flag(new OpenProbe(), "failed-only")).isFalse();
  }

  @Test
  void mistakesFailWithOneLineNamingTheFix() {
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("fileslow.min-latency=10"))).hasMessage(
        "--probe-option fileslow.min-latency=10: '10' needs a unit: 10s, 10ms, 10m, ...");
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("fileslow.minlatency=10ms"))).hasMessage(
        "--probe-option fileslow.minlatency: probe fileslow has no option 'minlatency'; it takes: min-latency, fs-types, path-max, max-rate, burst");
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("biolatency.max-rate=10"))).hasMessageStartingWith(
        "--probe-option biolatency.max-rate: probe biolatency has no option 'max-rate'; it takes:");
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("open.max-rate=fast"))).hasMessage(
        "--probe-option open.max-rate=fast: not a whole number");
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("open.path-max=9000"))).hasMessage(
        "--probe-option open.path-max=9000: must be between 2 and 4096");
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("fileslow.fs-types=a,b,c,d,e"))).hasMessageContaining("at most 4 items");
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("nosuch.key=1"))).hasMessageStartingWith("--probe-option nosuch.key=1: unknown probe 'nosuch'");
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("open"))).hasMessageContaining("use <probe>.<key>=<value>");
  }

  @Test
  void numbersTooLargeToHoldAreRefusedNotWrappedAround() {
    // 200000000m is 1.2e19 ns: it used to wrap to a negative minimum latency and be taken.
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("fileslow.min-latency=200000000m"))).hasMessage(
        "--probe-option fileslow.min-latency=200000000m: '200000000m' is too long a duration (at most 292 years)");
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("fileslow.min-latency=99999999999999999999ns"))).hasMessage(
        "--probe-option fileslow.min-latency=99999999999999999999ns: '99999999999999999999ns' is too long a duration (at most 292 years)");
    // (2^54 + 2) KiB used to wrap to 2048, inside open.path-max's bounds, and be taken.
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("open.path-max=18014398509481986K"))).hasMessage(
        "--probe-option open.path-max=18014398509481986K: must be between 2 and 4096");
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("open.path-max=99999999999999999999"))).hasMessage(
        "--probe-option open.path-max=99999999999999999999: must be at most 4096");
  }

  @Test
  void aNewlineInAValueStaysOutOfTheOneLineMessage() {
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("fileslow.fs-types=ext4,a\nbcdefghijklmnopq"))).hasMessage(
        "--probe-option fileslow.fs-types=ext4,a\\u000abcdefghijklmnopq: 'a\\u000abcdefghijklmnopq' is longer than 15 characters");
    assertThatThrownBy(() -> ProbeCatalog.options(List.of("open.path-max=1\nx"))).hasMessage(
        "--probe-option open.path-max=1\\u000ax: not a size; use e.g. 256, 4K, 1M");
  }
}

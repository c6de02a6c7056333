package dev.bpfstream.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProbeOptionsTest {

  @Test
  void defaultsHoldUntilAnAssignmentOverridesThem() {
    FileSlowProbe p = new FileSlowProbe();
    assertThat(ProbeOptions.none().duration(p, "min-latency")).isEqualTo(Duration.ofMillis(10));
    ProbeOptions o = ProbeOptions.parse(List.of("fileslow.min-latency=250us", "fileslow.fs-types=ext4, xfs", "open.path-max=1K"));
    assertThat(o.duration(p, "min-latency")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(o.list(p, "fs-types")).containsExactly("ext4", "xfs");
    assertThat(o.number(new OpenProbe(), "path-max")).isEqualTo(1024);
    assertThat(o.flag(new OpenProbe(), "failed-only")).isFalse();
  }

  @Test
  void mistakesFailWithOneLineNamingTheFix() {
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("fileslow.min-latency=10"))).hasMessage(
        "--probe-option fileslow.min-latency=10: '10' needs a unit: 10s, 10ms, 10m, ...");
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("fileslow.minlatency=10ms"))).hasMessage(
        "--probe-option fileslow.minlatency: probe fileslow has no option 'minlatency'; it takes: min-latency, fs-types, path-max, max-rate, burst");
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("biolatency.max-rate=10"))).hasMessageStartingWith(
        "--probe-option biolatency.max-rate: probe biolatency has no option 'max-rate'; it takes:");
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("open.max-rate=fast"))).hasMessage(
        "--probe-option open.max-rate=fast: not a whole number");
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("open.path-max=9000"))).hasMessage(
        "--probe-option open.path-max=9000: must be between 2 and 4096");
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("fileslow.fs-types=a,b,c,d,e"))).hasMessageContaining("at most 4 items");
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("nosuch.key=1"))).hasMessageStartingWith("--probe-option nosuch.key=1: unknown probe 'nosuch'");
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("open"))).hasMessageContaining("use <probe>.<key>=<value>");
  }

  @Test
  void numbersTooLargeToHoldAreRefusedNotWrappedAround() {
    // 200000000m is 1.2e19 ns: it used to wrap to a negative minimum latency and be taken.
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("fileslow.min-latency=200000000m"))).hasMessage(
        "--probe-option fileslow.min-latency=200000000m: '200000000m' is too long a duration (at most 292 years)");
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("fileslow.min-latency=99999999999999999999ns"))).hasMessage(
        "--probe-option fileslow.min-latency=99999999999999999999ns: '99999999999999999999ns' is too long a duration (at most 292 years)");
    // (2^54 + 2) KiB used to wrap to 2048, inside open.path-max's bounds, and be taken.
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("open.path-max=18014398509481986K"))).hasMessage(
        "--probe-option open.path-max=18014398509481986K: must be between 2 and 4096");
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("open.path-max=99999999999999999999"))).hasMessage(
        "--probe-option open.path-max=99999999999999999999: must be at most 4096");
  }

  @Test
  void aNewlineInAValueStaysOutOfTheOneLineMessage() {
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("fileslow.fs-types=ext4,a\nbcdefghijklmnopq"))).hasMessage(
        "--probe-option fileslow.fs-types=ext4,a\\u000abcdefghijklmnopq: 'a\\u000abcdefghijklmnopq' is longer than 15 characters");
    assertThatThrownBy(() -> ProbeOptions.parse(List.of("open.path-max=1\nx"))).hasMessage(
        "--probe-option open.path-max=1\\u000ax: not a size; use e.g. 256, 4K, 1M");
  }

  @Test
  void theProbesWriteTheirOptionsIntoTheirConfiguration() {
    ProbeSettings s = ProbeSettings.defaults().withOptions(ProbeOptions.parse(List.of("fileslow.min-latency=0", "fileslow.fs-types=ext4")));
    FileSlowProbe p = new FileSlowProbe();
    ByteBuffer c = p.config(s).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(c.getLong(FileSlowProbe.CFG_MIN_LATENCY)).isZero();
    assertThat(c.getInt(FileSlowProbe.CFG_FS_FILTER_COUNT)).isEqualTo(1);
    assertThat(new String(c.array(), FileSlowProbe.CFG_FS_FILTER, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ext4\0");
  }

  @Test
  void recordFieldsAreRenderedAsTheSeedToolsShowThem() {
    assertThat(FileSlowProbe.joinComponents("f\0dir\0tmp\0", false)).isEqualTo("/tmp/dir/f");
    assertThat(FileSlowProbe.joinComponents("f\0dir\0", true)).isEqualTo(".../dir/f");
    assertThat(BlockIoProbe.rwbs(dev.bpfstream.event.BlockOp.WRITE, BlockIoProbe.BF_SYNC | BlockIoProbe.BF_FUA)).isEqualTo("WFS");
    assertThat(BlockIoProbe.rwbs(dev.bpfstream.event.BlockOp.FLUSH, BlockIoProbe.BF_PREFLUSH)).isEqualTo("FF");
    assertThat(BlockIoProbe.errno(10)).isEqualTo(-5);
    assertThat(ipv6("00000000000000000000000000000001")).isEqualTo("::1");
    assertThat(ipv6("20010db8000000000001000000000001")).isEqualTo("2001:db8::1:0:0:1");
    assertThat(ipv6("fe800000000000000000000000000000")).isEqualTo("fe80::");
    assertThat(CacheStatProbe.hits(100, 30, 10)).isEqualTo(80);
    assertThat(CacheStatProbe.hits(100, 10, 30)).isEqualTo(100);
    assertThat(CacheStatProbe.hits(10, 300, 0)).isZero();
  }

  private static String ipv6(String hex) {
    ByteBuffer b = ByteBuffer.allocate(16);
    for (int i = 0; i < 16; i++) {
      b.put(i, (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16));
    }
    return TcpRecordDecoder.ipv6(b, 0);
  }
}

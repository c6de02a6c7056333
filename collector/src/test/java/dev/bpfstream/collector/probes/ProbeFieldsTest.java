package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.ProbeSettings;
import org.junit.jupiter.api.Test;

/** What probes write into their configuration and render from raw record fields, without the kernel. */
class ProbeFieldsTest {

  @Test
  void theProbesWriteTheirOptionsIntoTheirConfiguration() {
    ProbeOptions options = ProbeCatalog.options(List.of("fileslow.min-latency=0", "fileslow.fs-types=ext4"));
    FileSlowProbe p = new FileSlowProbe();
    ByteBuffer c = p.config(ProbeSettings.defaults(), options).order(ByteOrder.LITTLE_ENDIAN);
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

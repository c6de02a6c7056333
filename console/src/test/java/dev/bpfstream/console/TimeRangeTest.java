package dev.bpfstream.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeRangeTest {
  private static final long NOW = 1_800_000_000_000L;

  @Test
  void relativeEpochAndIsoTimesAreAccepted() {
    assertThat(TimeRange.parse(null, null, NOW)).isEqualTo(new TimeRange(NOW - 15 * 60_000, NOW));
    assertThat(TimeRange.parse("-2h", "now", NOW)).isEqualTo(new TimeRange(NOW - 7_200_000, NOW));
    assertThat(TimeRange.parse("1799999990000", "-1s", NOW)).isEqualTo(new TimeRange(1_799_999_990_000L, NOW - 1000));
    assertThat(TimeRange.parse("2027-01-15T08:00:00Z", "2027-01-15T09:00:00Z", NOW).toMs() - TimeRange.parse("2027-01-15T08:00:00Z", "2027-01-15T09:00:00Z", NOW).fromMs())
        .isEqualTo(3_600_000);
  }

  @Test
  void malformedBackwardsAndHugeRangesAreRefusedInOneLine() {
    assertThatThrownBy(() -> TimeRange.parse("yesterday\n", null, NOW)).isInstanceOf(BadRequest.class)
        .hasMessageContaining("'yesterday\\u000a' is not a time").hasMessageNotContaining("\n");
    assertThatThrownBy(() -> TimeRange.parse("-1m", "-2m", NOW)).hasMessageContaining("must be before");
    assertThatThrownBy(() -> TimeRange.parse("0", "now", NOW)).hasMessageContaining("too long");
    assertThatThrownBy(() -> TimeRange.parse("-9999999999d", null, NOW)).isInstanceOf(BadRequest.class);
    assertThatThrownBy(() -> TimeRange.parse("9".repeat(50), null, NOW)).hasMessageContaining("too long");
    assertThat(((BadRequest) catchBad(() -> TimeRange.parse("x", null, NOW))).status()).isEqualTo(400);
  }

  private static Throwable catchBad(Runnable r) {
    try {
      r.run();
      return null;
    } catch (BadRequest e) {
      return e;
    }
  }
}

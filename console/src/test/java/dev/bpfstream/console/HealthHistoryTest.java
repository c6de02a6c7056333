package dev.bpfstream.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.ProbeHealth;
import org.junit.jupiter.api.Test;

class HealthHistoryTest {
  private static final long S = 1_000_000_000L;
  private static final long T0 = 1_800_000_000L * S;

  private static CollectorHealth report(long timeNs, long startedNs, long attempted, long delivered, long lost, long limited) {
    ProbeHealth p = ProbeHealth.newBuilder().setProbe("open").setAttached(true).setAttempted(attempted).setDelivered(delivered)
        .setLostKernel(lost).setLostUser(0).setParseErrors(0).setRateLimited(limited).setProduced(delivered).build();
    return CollectorHealth.newBuilder().setHostId("h1").setHostname("web-1").setTimeNs(timeNs).setIntervalNs(10 * S)
        .setStartedNs(startedNs).setVersion("v").setKernelRelease("k").setProbes(List.of(p)).build();
  }

  @Test
  void pointsAreDifferencesOfTheCumulativeCountersAndARestartStartsOver() {
    HealthHistory h = new HealthHistory();
    h.add(report(T0 + 10 * S, T0, 100, 90, 10, 0));
    h.add(report(T0 + 20 * S, T0, 300, 250, 40, 10));
    h.add(report(T0 + 15 * S, T0, 999, 999, 999, 999)); // older than the last: ignored
    h.add(report(T0 + 40 * S, T0 + 35 * S, 50, 45, 5, 0)); // restarted: its totals are the point
    List<HealthHistory.Point> pts = h.view(ViewScope.ALL, new TimeRange(T0 / 1_000_000, (T0 + 60 * S) / 1_000_000)).get(0).points();
    assertThat(pts).extracting(HealthHistory.Point::attempted).containsExactly(100L, 200L, 50L);
    assertThat(pts).extracting(HealthHistory.Point::lost).containsExactly(10L, 30L, 5L);
    assertThat(pts).extracting(HealthHistory.Point::rateLimited).containsExactly(0L, 10L, 0L);
    assertThat(pts.get(1).lostByProbe()).containsEntry("open", 30L);
  }

  @Test
  void aFirstReportOfALongRunningCollectorIsABaselineNotAPoint() {
    HealthHistory h = new HealthHistory();
    h.add(report(T0 + 3600 * S, T0, 1_000_000, 900_000, 100_000, 0));
    h.add(report(T0 + 3610 * S, T0, 1_000_100, 900_100, 100_000, 0));
    List<HealthHistory.Point> pts = h.view(ViewScope.ALL, new TimeRange(T0 / 1_000_000, (T0 + 4000 * S) / 1_000_000)).get(0).points();
    assertThat(pts).extracting(HealthHistory.Point::attempted).containsExactly(100L);
    assertThat(pts).extracting(HealthHistory.Point::lost).containsExactly(0L);
  }
}

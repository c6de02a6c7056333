package dev.bpfstream.jobs.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import dev.bpfstream.event.FigureChange;
import org.junit.jupiter.api.Test;

class ChangeTrackerTest {
  static final long W = 10_000;

  @Test
  void firstWindowHasNoPreviousAndStartsTheBaseline() {
    ChangeTracker.Result r = ChangeTracker.compare(null, 0, W, Map.of("opens_per_s", 4.0));
    assertThat(r.changes()).singleElement().satisfies(c -> {
      assertThat(c.getPrevious()).isNull();
      assertThat(c.getBaseline()).isNull();
    });
    assertThat(r.movers()).isEmpty();
    assertThat(r.next().average).containsEntry("opens_per_s", 4.0);
  }

  @Test
  void silentWindowsCountAsZerosInPreviousAndBaseline() {
    Baseline b = ChangeTracker.compare(null, 0, W, Map.of("opens_per_s", 10.0)).next();
    // Two windows later: one silent window in between.
    ChangeTracker.Result r = ChangeTracker.compare(b, 2 * W, W, Map.of("opens_per_s", 10.0));
    FigureChange c = r.changes().get(0);
    assertThat(c.getPrevious()).isEqualTo(0.0);
    assertThat(c.getChangeVsPrevious()).isNull();
    assertThat(c.getBaseline()).isCloseTo(10.0 * (1 - ChangeTracker.ALPHA), within(1e-9));
    assertThat(r.next().average.get("opens_per_s")).isCloseTo(
        ChangeTracker.ALPHA * 10 + (1 - ChangeTracker.ALPHA) * 7.0, within(1e-9));
  }

  @Test
  void biggestMoversAreTheLargestRatiosAgainstTheBaselineAboveTheThreshold() {
    Baseline b = ChangeTracker.compare(null, 0, W, Map.of("a", 10.0, "b", 10.0, "c", 10.0, "d", 10.0, "e", 10.0)).next();
    ChangeTracker.Result r = ChangeTracker.compare(b, W, W, Map.of("a", 11.0, "b", 100.0, "c", 1.0, "d", 30.0, "e", 10.0));
    assertThat(r.movers()).hasSize(3);
    assertThat(r.movers().get(0)).startsWith("b: 100.0 vs baseline 10.00 (x10.00)");
    assertThat(r.movers().get(1)).startsWith("c:");
    assertThat(r.movers().get(2)).startsWith("d:");
  }
}

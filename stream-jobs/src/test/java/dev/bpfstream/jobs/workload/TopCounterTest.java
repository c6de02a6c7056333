package dev.bpfstream.jobs.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfstream.event.TopEntry;
import org.junit.jupiter.api.Test;

class TopCounterTest {

  @Test
  void topListHoldsTheLeadersOfEachMetricOrderedByEvents() {
    TopCounter t = new TopCounter();
    t.add("busy", 100, 0, 0);
    t.add("io", 5, 1 << 20, 0);
    t.add("cpu", 0, 0, 900);
    t.add("quiet", 1, 0, 0);
    assertThat(t.top(1)).containsExactly(new TopEntry("busy", 100L, 0L, 0L), new TopEntry("io", 5L, 1L << 20, 0L),
        new TopEntry("cpu", 0L, 0L, 900L));
  }

  @Test
  void pastItsBoundSmallKeysFoldIntoOtherAndTotalsStayWhole() {
    TopCounter t = new TopCounter(4);
    for (int i = 0; i < 100; i++) {
      t.add("k" + i, i, 1, 0);
    }
    assertThat(t.size()).isLessThanOrEqualTo(9);
    long events = t.counts.values().stream().mapToLong(v -> v[0]).sum();
    long bytes = t.counts.values().stream().mapToLong(v -> v[1]).sum();
    assertThat(events).isEqualTo(99 * 100 / 2);
    assertThat(bytes).isEqualTo(100);
    assertThat(t.top(3).get(0).getKey()).isEqualTo(TopCounter.OTHER);
    assertThat(t.counts).containsKey("k99");
  }
}

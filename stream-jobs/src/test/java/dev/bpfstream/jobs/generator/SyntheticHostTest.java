package dev.bpfstream.jobs.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;

import dev.bpfstream.event.BlockIo;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.RunqLatencyHistogram;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The generator's events follow the distributions it states. */
class SyntheticHostTest {
  static final long T = 1_767_225_600_000_000_000L;

  @Test
  void blockLatenciesAreLogNormalAroundTheStatedMedians() {
    FleetProfile p = FleetProfile.standard();
    SyntheticHost h = new SyntheticHost(3, p, 1, T);
    long[] service = new long[20_000];
    long[] queue = new long[service.length];
    for (int i = 0; i < service.length; i++) {
      BlockIo b = (BlockIo) h.event(Topic.BLOCK_IO, T + i);
      service[i] = b.getServiceNs();
      queue[i] = b.getQueueNs();
      assertThat(b.getCtx().getHostId()).isEqualTo("host-0003");
      assertThat(b.getCtx().getTimeNs()).isEqualTo(T + i);
    }
    Arrays.sort(service);
    Arrays.sort(queue);
    assertThat((double) service[service.length / 2]).isCloseTo(p.blockServiceMedianNs(), within(p.blockServiceMedianNs() * 0.05));
    assertThat((double) queue[queue.length / 2]).isCloseTo(p.blockQueueMedianNs(), within(p.blockQueueMedianNs() * 0.05));
    // sigma 0.8: the 84th percentile is median x e^0.8.
    assertThat((double) service[(int) (service.length * 0.8413)]).isCloseTo(p.blockServiceMedianNs() * Math.exp(p.sigma()),
        within(p.blockServiceMedianNs() * Math.exp(p.sigma()) * 0.06));
  }

  @Test
  void eachIntervalBringsKernelHistogramsAndCumulativeHealth() {
    FleetProfile p = FleetProfile.standard().withContainers(2).withLostPerInterval(7);
    SyntheticHost h = new SyntheticHost(0, p, 1, T);
    h.event(Topic.OPEN, T + 1);
    List<SpecificRecord> first = h.interval(T, T + 1_000_000_000L);
    List<SpecificRecord> second = h.interval(T + 1_000_000_000L, T + 2_000_000_000L);
    // One run-queue histogram per container and for the host's own pid namespace; two stages per device.
    assertThat(first).filteredOn(r -> r instanceof RunqLatencyHistogram).hasSize(3)
        .allSatisfy(r -> assertThat(((RunqLatencyHistogram) r).getHistogram().getCount()).isEqualTo(p.histogramSamples()));
    CollectorHealth h1 = (CollectorHealth) first.get(first.size() - 1);
    CollectorHealth h2 = (CollectorHealth) second.get(second.size() - 1);
    assertThat(h1.getProbes().get(0).getLostKernel()).isEqualTo(7);
    assertThat(h2.getProbes().get(0).getLostKernel()).isEqualTo(14);
    assertThat(h2.getStartedNs()).isEqualTo(T);
  }

  @Test
  void mixesAddUpToAHundred() {
    for (Mix m : Mix.values()) {
      assertThat(m.table()).hasSize(100).doesNotContainNull();
    }
  }
}

package dev.bpfstream.collector.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightBudgetTest {

  @Test
  void recordsTakeTheirBytesUntilAcknowledgedAndAFullBudgetMakesTheSenderWaitThenGiveUp() {
    InFlightBudget b = new InFlightBudget(1 << 20);
    int cost = b.cost(new byte[20], new byte[1000]);
    assertThat(cost).isEqualTo(1020 + InFlightBudget.RECORD_OVERHEAD);
    int n = 0;
    while (b.acquire(cost, 0)) {
      n++;
    }
    assertThat(n).isEqualTo((1 << 20) / cost);
    assertThat(b.inFlight()).isEqualTo((long) n * cost);
    assertThat(b.acquire(cost, 50)).as("nothing acknowledged: the wait ends without the budget").isFalse();
    b.release(cost);
    assertThat(b.acquire(cost, 0)).isTrue();
  }

  @Test
  void aRecordLargerThanTheBudgetTakesAllOfItRatherThanNeverFitting() {
    InFlightBudget b = new InFlightBudget(1 << 20);
    int cost = b.cost(null, new byte[4 << 20]);
    assertThat(cost).isEqualTo(b.max());
    assertThat(b.acquire(cost, 0)).isTrue();
    assertThat(b.acquire(1, 0)).isFalse();
    b.release(cost);
    assertThat(b.inFlight()).isZero();
  }

  @Test
  void theDefaultIsAnEighthOfTheHeapAtMost64MiBAndTheProducerBufferGetsTheSame() {
    long share = Math.max(4L << 20, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8));
    assertThat(InFlightBudget.forHeap().max()).isEqualTo((int) share);
    assertThat(KafkaEventSink.defaults().get(org.apache.kafka.clients.producer.ProducerConfig.BUFFER_MEMORY_CONFIG)).isEqualTo(share);
  }
}

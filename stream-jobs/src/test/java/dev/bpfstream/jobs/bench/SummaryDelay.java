package dev.bpfstream.jobs.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.schema.WireCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How long after its window ends a summary becomes visible to a read_committed consumer, for a
 * live run (event time = wall clock on this machine):
 * {@code SummaryDelay <bootstrap> <topic> <seconds> <skip-seconds>}. An event at the start of a
 * window waits window + this delay for its summary.
 */
public final class SummaryDelay {
  private SummaryDelay() {
  }

  public static void main(String[] args) {
    String topic = args[1];
    long runMs = Long.parseLong(args[2]) * 1000;
    long skipMs = Long.parseLong(args[3]) * 1000;
    boolean latency = topic.endsWith("agg.latency");
    WireCodec<LatencySummary> lat = WireCodec.of(LatencySummary.class);
    WireCodec<WorkloadSummary> wl = WireCodec.of(WorkloadSummary.class);
    Map<String, Object> p = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
        ConsumerConfig.GROUP_ID_CONFIG, "summary-delay-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long start = System.currentTimeMillis();
    List<Long> delays = new ArrayList<>();
    long records = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(Set.of(topic));
      while (System.currentTimeMillis() - start < runMs) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          long now = System.currentTimeMillis();
          long endNs = latency ? lat.decode(r.value()).getWindowEndNs() : wl.decode(r.value()).getWindowEndNs();
          records++;
          if (endNs / 1_000_000 >= start + skipMs) {
            delays.add(now - endNs / 1_000_000);
          }
        }
      }
    }
    Collections.sort(delays);
    if (delays.isEmpty()) {
      System.out.println("no summaries after the first " + args[3] + " s (" + records + " in all)");
      return;
    }
    System.out.printf("%s: %d summaries measured; visible after window end: p50 %d ms, p99 %d ms, max %d ms%n", topic,
        delays.size(), delays.get(delays.size() / 2), delays.get((int) (delays.size() * 0.99)), delays.get(delays.size() - 1));
  }
}

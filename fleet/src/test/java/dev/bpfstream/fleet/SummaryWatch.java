package dev.bpfstream.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.schema.WireCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Follows the committed summaries as the jobs write them, with the wall-clock time each arrived. */
final class SummaryWatch implements AutoCloseable {
  record Arrival<T>(T summary, long arrivedMs) {
  }

  final List<Arrival<WorkloadSummary>> workload = new CopyOnWriteArrayList<>();
  final List<Arrival<LatencySummary>> latency = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  SummaryWatch(String bootstrap) {
    WireCodec<WorkloadSummary> w = WireCodec.of(WorkloadSummary.class);
    WireCodec<LatencySummary> l = WireCodec.of(LatencySummary.class);
    thread = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> c = TopicReader.consumer(bootstrap)) {
        List<TopicPartition> parts = new ArrayList<>(TopicReader.partitions(c, "agg.workload"));
        parts.addAll(TopicReader.partitions(c, "agg.latency"));
        c.assign(parts);
        c.seekToBeginning(parts);
        while (!stopped) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
            long now = System.currentTimeMillis();
            if (r.topic().equals("agg.workload")) {
              workload.add(new Arrival<>(w.decode(r.value()), now));
            } else {
              latency.add(new Arrival<>(l.decode(r.value()), now));
            }
          }
        }
      }
    }, "summary-watch");
    thread.setDaemon(true);
    thread.start();
  }

  void awaitAny(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (workload.isEmpty() || latency.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no summary of both jobs committed within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(200);
    }
  }

  /** Waits until as many summaries before the sentinels as the undisturbed run wrote are there, then a little more (a duplicate would show). */
  FleetFaultTest.Summaries awaitComplete(int workloadCount, int latencyCount, long sentinelNs, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (workload.stream().filter(a -> a.summary().getWindowStartNs() < sentinelNs).count() < workloadCount
        || latency.stream().filter(a -> a.summary().getWindowStartNs() < sentinelNs).count() < latencyCount) {
      if (System.nanoTime() > deadline) {
        break; // the comparison says what is missing
      }
      Thread.sleep(500);
    }
    Thread.sleep(5_000);
    return new FleetFaultTest.Summaries(workload.stream().map(Arrival::summary).toList(), latency.stream().map(Arrival::summary).toList());
  }

  /** Median of arrival minus window end, for workload summaries whose window ended before {@code beforeMs}. */
  long restDelayMs(long beforeMs) {
    List<Long> d = workload.stream().filter(a -> a.summary().getWindowEndNs() / 1_000_000 < beforeMs)
        .map(a -> a.arrivedMs() - a.summary().getWindowEndNs() / 1_000_000).sorted().toList();
    return d.isEmpty() ? -1 : d.get(d.size() / 2);
  }

  /** From {@code atMs} to the arrival of the first workload summary of a window that started at or after it. */
  long firstNewAfterMs(long atMs) {
    return workload.stream().filter(a -> a.summary().getWindowStartNs() / 1_000_000 >= atMs)
        .mapToLong(a -> a.arrivedMs() - atMs).min().orElse(-1);
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(10_000);
  }
}

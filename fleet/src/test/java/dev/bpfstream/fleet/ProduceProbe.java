package dev.bpfstream.fleet;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** One small acks=all record to every partition of bpf.exec every 100 ms, timed from send to acknowledgement: how long producers stall. */
final class ProduceProbe {
  record Send(long sentMs, long ackedMs) {
  }

  private final List<Send> sends = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  ProduceProbe(String bootstrap) {
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
    thread = new Thread(() -> {
      try (producer) {
        int partitions = producer.partitionsFor("fleet.probe").size();
        while (!stopped) {
          for (int p = 0; p < partitions; p++) {
            long sent = System.currentTimeMillis();
            producer.send(new ProducerRecord<>("fleet.probe", p, null, new byte[16]), (m, e) -> {
              if (e == null) {
                sends.add(new Send(sent, System.currentTimeMillis()));
              }
            });
          }
          Thread.sleep(100);
        }
        producer.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "produce-probe");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() throws InterruptedException {
    stopped = true;
    thread.join(150_000);
  }

  /** The longest send-to-acknowledgement time of a record sent within a minute after {@code atMs}. */
  long maxStallMs(long atMs) {
    return sends.stream().filter(s -> s.sentMs() >= atMs - 1_000 && s.sentMs() < atMs + 60_000)
        .mapToLong(s -> s.ackedMs() - s.sentMs()).max().orElse(-1);
  }
}

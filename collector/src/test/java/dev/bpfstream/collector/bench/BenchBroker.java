package dev.bpfstream.collector.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.bpfstream.broker.EmbeddedKafkaBroker;

/**
 * A real in-process KRaft broker on 127.0.0.1 for overhead benchmarks that produce to Kafka
 * (collector/bench/kafka-broker.sh runs it). Prints "ready BOOTSTRAP" and runs until killed.
 *
 *   BenchBroker [port]
 */
public final class BenchBroker {
  private BenchBroker() {
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Path data = Files.createTempDirectory("bpfstream-bench-kafka");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, port, Map.of());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      try (var s = Files.walk(data)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (java.io.IOException e) {
        System.err.println("bench broker: could not delete " + data + ": " + e.getMessage());
      }
      stop.countDown();
    }));
    System.out.println("ready " + broker.bootstrapServers());
    System.out.flush();
    stop.await();
  }
}

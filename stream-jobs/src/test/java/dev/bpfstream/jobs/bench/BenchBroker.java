package dev.bpfstream.jobs.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.bpfstream.broker.EmbeddedKafkaBroker;

/**
 * The in-process broker as its own process for benchmarks, so the job's CPU time is measured
 * alone: {@code BenchBroker <port> [dataDir]}; stops on SIGTERM and deletes nothing it did not make.
 */
public final class BenchBroker {
  private BenchBroker() {
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("bpfstream-bench-kafka");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, port,
        Map.of("num.partitions", "4", "log.retention.bytes", String.valueOf(8L << 30)));
    System.out.println("broker ready on " + broker.bootstrapServers() + " (data in " + dir + ")");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      stop.countDown();
    }));
    stop.await();
  }
}

package dev.bpfstream.standalone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bpfstream.broker.EmbeddedKafkaBroker;
import dev.bpfstream.broker.LoopbackKeyStore;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * Makes the stack's upgrade test resources with the code of the checkout it runs in (the release):
 * {@code upgrade/<release>/standalone/savepoint/}, the stack's jobs stopped with a savepoint after
 * {@link StackFixedInput.Part#FIRST}; {@code before.txt}, the summaries it had committed by then (identities).
 * {@code java -cp <standalone test classpath> dev.bpfstream.standalone.MakeStackUpgradeResources standalone/src/test/resources}
 */
public final class MakeStackUpgradeResources {
  private MakeStackUpgradeResources() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0] + StackFixedInput.RESOURCES);
    Path tmp = Files.createTempDirectory("bpfstream-stack-upgrade");
    try {
      try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(tmp.resolve("kafka1"))) {
        StandaloneStack.createTopics(broker.clientProperties());
        StackFixedInput.write(broker.clientProperties(), StackFixedInput.Part.FIRST);
        LocalJobs jobs = LocalJobs.start(java.util.Map.of("bootstrap.servers", broker.bootstrapServers()), StackFixedInput.WINDOW,
            tmp.resolve("data1/flink"), null, LoopbackKeyStore.create(tmp.resolve("tls.p12"), "upgrade-resources"), 0, 0);
        StackFixedInput.awaitCaughtUp(broker.clientProperties());
        Thread.sleep(3_000);
        String savepoint = jobs.client().stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
            .get(2, TimeUnit.MINUTES);
        List<String> before = StackFixedInput.summaries(broker.clientProperties());
        delete(dir);
        copy(Path.of(java.net.URI.create(savepoint)), dir.resolve("savepoint"));
        StackFixedInput.writeLines(dir.resolve("before.txt"), before);
        System.out.printf("stack: savepoint with %d summaries committed before it -> %s%n", before.size(), dir);
      }
    } finally {
      delete(tmp);
    }
    System.exit(0);
  }

  static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  static void delete(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}

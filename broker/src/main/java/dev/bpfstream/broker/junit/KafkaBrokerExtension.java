package dev.bpfstream.broker.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import dev.bpfstream.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives tests a real broker, one per test JVM, shared by every test that asks for a {@link TestBroker}.
 *
 * <p>Choice: {@code -Dbpfstream.test.broker=auto|embedded|container} (default auto). In auto, a
 * Testcontainers Kafka is used when a Docker engine is reachable and already holds the image;
 * otherwise the in-process KRaft broker. One log line says which.
 */
public final class KafkaBrokerExtension implements ParameterResolver {
  private static final Logger log = LoggerFactory.getLogger(KafkaBrokerExtension.class);
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /** The JVM-wide broker, started on first use and closed when the test run ends. */
  public static TestBroker shared(ExtensionContext context) {
    return context.getRoot().getStore(NS)
        .getOrComputeIfAbsent("broker", k -> startBroker(), SharedBroker.class);
  }

  private static SharedBroker startBroker() {
    String choice = System.getProperty("bpfstream.test.broker", "auto");
    if (!choice.equals("embedded")) {
      String why = ContainerBroker.unavailableReason();
      if (why == null) {
        try {
          SharedBroker b = ContainerBroker.start();
          log.info("test broker: Testcontainers Kafka at {}", b.bootstrapServers());
          return b;
        } catch (RuntimeException e) {
          why = "container did not start: " + e.getMessage();
        }
      }
      if (choice.equals("container")) {
        throw new IllegalStateException("bpfstream.test.broker=container but " + why);
      }
      log.info("test broker: in-process KRaft (Testcontainers not used: {})", why);
    } else {
      log.info("test broker: in-process KRaft (bpfstream.test.broker=embedded)");
    }
    return EmbeddedBroker.start();
  }

  /** A broker kept in the root store; JUnit closes it after the last test. */
  abstract static class SharedBroker implements TestBroker, ExtensionContext.Store.CloseableResource {
  }

  static final class EmbeddedBroker extends SharedBroker {
    private final EmbeddedKafkaBroker broker;
    private final Path dir;

    private EmbeddedBroker(EmbeddedKafkaBroker broker, Path dir) {
      this.broker = broker;
      this.dir = dir;
    }

    static EmbeddedBroker start() {
      try {
        Path dir = Files.createTempDirectory("bpfstream-test-kafka");
        return new EmbeddedBroker(EmbeddedKafkaBroker.start(dir), dir);
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a temp dir for the test broker: " + e.getMessage(), e);
      }
    }

    @Override
    public String bootstrapServers() {
      return broker.bootstrapServers();
    }

    @Override
    public Map<String, Object> clientProperties() {
      return broker.clientProperties();
    }

    @Override
    public String kind() {
      return "in-process KRaft";
    }

    @Override
    public void close() {
      broker.close();
      deleteTree(dir);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not remove {}: {}", dir, e.toString());
    }
  }
}

package dev.bpfstream.broker.junit;

import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** Testcontainers' Kafka, used only when a Docker engine runs here and already has the image (no pulls). */
final class ContainerBroker extends KafkaBrokerExtension.SharedBroker {
  static final String IMAGE = System.getProperty("bpfstream.test.kafka-image", "apache/kafka:4.2.0");

  private final KafkaContainer container;

  private ContainerBroker(KafkaContainer container) {
    this.container = container;
  }

  /** Null when a container can be used, else the reason it cannot. */
  static String unavailableReason() {
    try {
      Class.forName("org.testcontainers.DockerClientFactory");
    } catch (ClassNotFoundException e) {
      return "Testcontainers is not on the classpath";
    }
    try {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        return "no Docker engine reachable";
      }
      DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
      return null;
    } catch (RuntimeException | LinkageError e) {
      return "Docker has no image " + IMAGE + " (" + e.getClass().getSimpleName() + ")";
    }
  }

  static ContainerBroker start() {
    KafkaContainer c = new KafkaContainer(IMAGE);
    c.start();
    return new ContainerBroker(c);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public Map<String, Object> clientProperties() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  @Override
  public String kind() {
    return "testcontainers";
  }

  @Override
  public void close() {
    container.stop();
  }
}

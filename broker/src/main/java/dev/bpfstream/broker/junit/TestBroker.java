package dev.bpfstream.broker.junit;

import java.util.Map;

/** A real Kafka broker handed to a test: in-process KRaft, or a Testcontainers Kafka where Docker has the image. */
public interface TestBroker {
  String bootstrapServers();

  /** Properties any client needs to reach this broker. */
  Map<String, Object> clientProperties();

  /** "in-process KRaft" or "testcontainers". */
  String kind();
}

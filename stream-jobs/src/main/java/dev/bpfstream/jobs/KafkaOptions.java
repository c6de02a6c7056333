package dev.bpfstream.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import picocli.CommandLine.Option;

/** Kafka connection options shared by the commands. */
public final class KafkaOptions {
  @Option(names = {"--bootstrap-servers", "--bootstrap"}, defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  public String bootstrap;

  @Option(names = "--topic-prefix", defaultValue = "", description = "Prefix of every topic name (a deployment's namespace).")
  public String topicPrefix;

  @Option(names = {"-X", "--kafka-property"}, description = "Extra Kafka client property, e.g. -X security.protocol=SASL_SSL (repeatable).")
  public Map<String, String> extra = new LinkedHashMap<>();

  @Option(names = "--kafka-config", description = "Kafka client properties file (TLS, SASL, ...); -X settings win over it.")
  public java.nio.file.Path kafkaConfig;

  public Properties clientProperties() {
    Properties p = new Properties();
    p.putAll(KafkaConfigFile.load(kafkaConfig));
    p.putAll(extra);
    p.put("bootstrap.servers", bootstrap);
    return p;
  }

  public String topic(String name) {
    return topicPrefix + name;
  }
}

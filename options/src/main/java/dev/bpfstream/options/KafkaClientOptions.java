package dev.bpfstream.options;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import picocli.CommandLine.Option;

/**
 * The Kafka options of every command that talks to Kafka ({@code collector run}, the jobs,
 * {@code alerts run|tail}, {@code sql}, {@code jobs generate}), as a picocli mixin:
 * {@code @Mixin KafkaClientOptions kafka;} then {@link #clientConfig()} or {@link #clientProperties()}.
 *
 * <p>The client settings are merged in one order, each layer winning over the ones before it:
 * <ol>
 *   <li>{@code bootstrap.servers=127.0.0.1:9092} (the standalone stack's broker);</li>
 *   <li>the credentials {@code bpfstream up} generated in its default data directory, when the
 *       layers below set no {@code security.protocol} and the bootstrap servers are its broker's
 *       (see {@link LocalStack}): root's tools reach root's stack with no option;</li>
 *   <li>the {@code --kafka-config FILE} properties (TLS, SASL, ...);</li>
 *   <li>each {@code -X / --kafka-property KEY=VALUE}, in order;</li>
 *   <li>{@code --bootstrap-servers}, when given.</li>
 * </ol>
 * Settings a command needs for itself (serializers, idempotence, isolation level) are the
 * command's, put over these where it builds its client. Settings found rather than given (such
 * as credentials a local stack generated) belong in {@link #clientConfig()}, as a layer between
 * the built-in default and the file, so every command finds them the same way.
 */
public final class KafkaClientOptions {
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
  private static final String BOOTSTRAP = "bootstrap.servers";

  @Option(names = {"--bootstrap-servers", "--bootstrap"}, paramLabel = "HOST:PORT[,...]",
      description = "Kafka bootstrap servers (default: bootstrap.servers of --kafka-config, else " + DEFAULT_BOOTSTRAP_SERVERS + ").")
  String bootstrapServers;

  @Option(names = "--topic-prefix", defaultValue = "", paramLabel = "PREFIX",
      description = "Prefix of every topic name, a deployment's namespace (default: none).")
  String topicPrefix = "";

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka client properties file (TLS, SASL, ...); -X and --bootstrap-servers win over it.")
  Path kafkaConfig;

  @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
      description = "A Kafka client property, e.g. -X security.protocol=SASL_SSL; repeatable; wins over --kafka-config.")
  Map<String, String> properties = new LinkedHashMap<>();

  /** Where the local stack's credentials are looked for (a test points it elsewhere). */
  Path localStackDir = LocalStack.defaultDataDir();

  /** The merged client settings (see the class comment for the order), {@code bootstrap.servers} included. */
  public Map<String, String> clientConfig() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put(BOOTSTRAP, DEFAULT_BOOTSTRAP_SERVERS);
    given.putAll(KafkaConfigFile.load(kafkaConfig));
    given.putAll(properties);
    if (bootstrapServers != null) {
      given.put(BOOTSTRAP, bootstrapServers);
    }
    if (given.get(BOOTSTRAP).isBlank()) {
      throw new IllegalArgumentException("--bootstrap-servers is empty: give HOST:PORT[,HOST:PORT...], e.g. " + DEFAULT_BOOTSTRAP_SERVERS);
    }
    Map<String, String> c = new LinkedHashMap<>(LocalStack.credentialsFor(given, localStackDir));
    c.putAll(given);
    return c;
  }

  /** {@link #clientConfig()} as the Properties a Kafka client takes. */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.putAll(clientConfig());
    return p;
  }

  /** The bootstrap servers the clients will use, after the merge. */
  public String bootstrapServers() {
    return clientConfig().get(BOOTSTRAP);
  }

  public String topicPrefix() {
    return topicPrefix;
  }

  /** {@code name} with the topic prefix. */
  public String topic(String name) {
    return topicPrefix + name;
  }
}

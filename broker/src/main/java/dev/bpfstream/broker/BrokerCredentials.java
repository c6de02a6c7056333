package dev.bpfstream.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * The secrets of a broker that takes authenticated clients only, kept in one directory (the
 * standalone data directory), every file 0600:
 *
 * <ul>
 *   <li>{@code client.properties}: SASL/SCRAM-SHA-512 settings with the user and its password, the
 *       file every bpfstream tool reads by default, and a {@code --kafka-config} for any Kafka client;
 *   <li>{@code tls.p12}: the key and self-signed certificate of the controller listener's mutual TLS
 *       (and of Flink's internal connections in the standalone stack);
 *   <li>{@code controller.properties}: the client settings that reach the controller listener
 *       (e.g. {@code kafka-metadata-quorum --bootstrap-controller ... --command-config}).
 * </ul>
 *
 * Missing files are generated; delete one and restart to rotate what it holds.
 */
public final class BrokerCredentials {
  public static final String CLIENT_FILE = "client.properties";
  public static final String CONTROLLER_FILE = "controller.properties";
  public static final String KEY_STORE_FILE = "tls.p12";
  static final String USER = "bpfstream";
  static final String MECHANISM = "SCRAM-SHA-512";
  private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";
  private static final Pattern JAAS_USER = Pattern.compile("username=\"([^\"]+)\"\\s+password=\"([^\"]+)\"");

  private final Path clientFile;
  private final String user;
  private final String password;
  private final LoopbackKeyStore keyStore;

  private BrokerCredentials(Path clientFile, String user, String password, LoopbackKeyStore keyStore) {
    this.clientFile = clientFile;
    this.user = user;
    this.password = password;
    this.keyStore = keyStore;
  }

  /** Reads the credentials kept in {@code dir}, generating what is missing. */
  public static BrokerCredentials loadOrCreate(Path dir) {
    Path client = dir.resolve(CLIENT_FILE);
    Path controller = dir.resolve(CONTROLLER_FILE);
    Path keyStoreFile = dir.resolve(KEY_STORE_FILE);
    String[] scram;
    if (Files.exists(client)) {
      scram = scramUser(client);
    } else {
      scram = new String[] {USER, PrivateFiles.newSecret()};
      writeClientFile(client, null, scram[0], scram[1]);
    }
    LoopbackKeyStore keyStore;
    if (Files.exists(controller) && Files.exists(keyStoreFile)) {
      keyStore = new LoopbackKeyStore(keyStoreFile, load(controller).getProperty("ssl.keystore.password", ""));
      if (!keyStoreFile.toString().equals(load(controller).getProperty("ssl.keystore.location"))) {
        writeControllerFile(controller, keyStore); // the directory was moved
      }
    } else {
      try {
        Files.deleteIfExists(keyStoreFile);
      } catch (IOException e) {
        throw new IllegalStateException("cannot replace " + keyStoreFile + ": " + e.getMessage(), e);
      }
      keyStore = LoopbackKeyStore.create(keyStoreFile, PrivateFiles.newSecret());
      writeControllerFile(controller, keyStore);
    }
    return new BrokerCredentials(client, scram[0], scram[1], keyStore);
  }

  /**
   * Records in client.properties the bootstrap servers of the broker these credentials are for (they
   * change with the port): the tools use the credentials for that broker only.
   */
  void recordBootstrapServers(String bootstrapServers) {
    if (!bootstrapServers.equals(load(clientFile).getProperty("bootstrap.servers"))) {
      writeClientFile(clientFile, bootstrapServers, user, password);
    }
  }

  private static void writeClientFile(Path file, String bootstrapServers, String user, String password) {
    Map<String, String> p = new LinkedHashMap<>();
    if (bootstrapServers != null) {
      p.put("bootstrap.servers", bootstrapServers);
    }
    p.putAll(clientProperties(user, password));
    PrivateFiles.write(file, "# SASL/SCRAM credentials of the bpfstream broker at bootstrap.servers (" + Instant.now() + ").\n"
        + "# bpfstream tools given no security settings use them for that broker; any Kafka client can (--kafka-config,\n"
        + "# --command-config). Delete this file and restart the stack to rotate the password.\n" + text(p));
  }

  public LoopbackKeyStore keyStore() {
    return keyStore;
  }

  /** What a Kafka client needs besides bootstrap servers. */
  public Map<String, String> clientProperties() {
    return clientProperties(user, password);
  }

  /** What an admin client needs to reach the controller listener ({@code bootstrap.controllers}). */
  public Map<String, String> controllerClientProperties() {
    return sslProperties(keyStore);
  }

  /**
   * Broker settings: SCRAM-SHA-512 on the client listener; mutual TLS on the broker's own listener
   * (inter-broker traffic, e.g. transaction markers, and the registration of the SCRAM user) and on
   * the controller listener (SCRAM credentials live in the metadata the controller serves, so neither
   * can depend on them). {@code ${port}}, {@code ${interBrokerPort}} and {@code ${controllerPort}}
   * are filled in at start.
   */
  Map<String, String> brokerOverrides() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("listeners", "CLIENT://127.0.0.1:${port},BROKER://127.0.0.1:${interBrokerPort},CONTROLLER://127.0.0.1:${controllerPort}");
    m.put("advertised.listeners", "CLIENT://127.0.0.1:${port},BROKER://127.0.0.1:${interBrokerPort}");
    m.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,BROKER:SSL,CONTROLLER:SSL");
    m.put("inter.broker.listener.name", "BROKER");
    m.put("sasl.enabled.mechanisms", MECHANISM);
    m.put("listener.name.client.scram-sha-512.sasl.jaas.config", jaas(user, password));
    for (String listener : new String[] {"broker", "controller"}) {
      m.put("listener.name." + listener + ".ssl.client.auth", "required");
      sslProperties(keyStore).forEach((k, v) -> {
        if (k.startsWith("ssl.")) {
          m.put("listener.name." + listener + "." + k, v);
        }
      });
    }
    return m;
  }

  /**
   * Sets the user's SCRAM credential through the broker's mutual-TLS listener: on a first start, on a
   * data directory made before the broker was secured, and after the password was rotated.
   * (The controller listener cannot do it: the controller does not serve this API to clients.)
   */
  void registerUser(String interBrokerAddress) {
    Map<String, Object> p = new LinkedHashMap<>(sslProperties(keyStore));
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, interBrokerAddress);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
    try (Admin admin = Admin.create(p)) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new BrokerStartException("cannot register the SCRAM user " + user + " on " + interBrokerAddress
          + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerStartException("interrupted while registering the SCRAM user", e);
    }
  }

  public static Map<String, String> clientProperties(String user, String password) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("security.protocol", "SASL_PLAINTEXT");
    m.put("sasl.mechanism", MECHANISM);
    m.put("sasl.jaas.config", jaas(user, password));
    return m;
  }

  /** Client (and listener) settings of mutual TLS with {@code keyStore} as both key and trust store. */
  public static Map<String, String> sslProperties(LoopbackKeyStore keyStore) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("security.protocol", "SSL");
    m.put("ssl.keystore.type", LoopbackKeyStore.TYPE);
    m.put("ssl.keystore.location", keyStore.path().toString());
    m.put("ssl.keystore.password", keyStore.password());
    m.put("ssl.key.password", keyStore.password());
    m.put("ssl.truststore.type", LoopbackKeyStore.TYPE);
    m.put("ssl.truststore.location", keyStore.path().toString());
    m.put("ssl.truststore.password", keyStore.password());
    return m;
  }

  private static void writeControllerFile(Path controller, LoopbackKeyStore keyStore) {
    PrivateFiles.write(controller, "# Mutual TLS client settings of the bpfstream broker's controller listener (key: "
        + KEY_STORE_FILE + ").\n# Delete both files and restart the stack to make a new key.\n" + text(sslProperties(keyStore)));
  }

  private static String jaas(String user, String password) {
    return SCRAM_LOGIN + " required username=\"" + user + "\" password=\"" + password + "\";";
  }

  private static String[] scramUser(Path client) {
    Matcher m = JAAS_USER.matcher(load(client).getProperty("sasl.jaas.config", ""));
    if (!m.find()) {
      throw new IllegalStateException(client + " has no SCRAM username and password in sasl.jaas.config: delete it to generate new credentials");
    }
    return new String[] {m.group(1), m.group(2)};
  }

  private static Properties load(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return p;
  }

  private static String text(Map<String, String> props) {
    StringBuilder sb = new StringBuilder();
    // Values are generated (base64url secrets, paths): only a backslash in a path needs escaping.
    props.forEach((k, v) -> sb.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    return sb.toString();
  }
}

package dev.bpfstream.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broker overrides for a SASL/PLAIN listener on 127.0.0.1 (for tests and trials of secured
 * clients): {@link #brokerOverrides()} goes to {@link EmbeddedKafkaBroker#start(java.nio.file.Path, int, Map)},
 * {@link #clientProperties(String, String)} is what a client puts in its properties file.
 */
public final class SaslPlainListener {
  private final Map<String, String> users;

  /** @param users name to password; "admin" is added for the broker's own connections */
  public SaslPlainListener(Map<String, String> users) {
    this.users = new LinkedHashMap<>(users);
    this.users.putIfAbsent("admin", "admin-secret");
  }

  public Map<String, String> brokerOverrides() {
    StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required ")
        .append("username=\"admin\" password=\"").append(users.get("admin")).append('"');
    users.forEach((u, p) -> jaas.append(" user_").append(u).append("=\"").append(p).append('"'));
    jaas.append(';');
    Map<String, String> m = EmbeddedKafkaBroker.oneListener("SASL_PLAINTEXT");
    m.put("sasl.enabled.mechanisms", "PLAIN");
    m.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    m.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.toString());
    clientProperties("admin", users.get("admin")).forEach((k, v) -> m.put("client." + k, v));
    return m;
  }

  public static Map<String, String> clientProperties(String user, String password) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("security.protocol", "SASL_PLAINTEXT");
    m.put("sasl.mechanism", "PLAIN");
    m.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + user + "\" password=\"" + password + "\";");
    return m;
  }
}

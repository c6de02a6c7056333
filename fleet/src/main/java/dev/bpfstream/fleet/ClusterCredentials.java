package dev.bpfstream.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The SCRAM-SHA-512 users of a secured local cluster ({@code cluster up --secure}): {@code admin}
 * (super user: the brokers between themselves, {@code topics create}) and one per role,
 * {@code collector}, {@code jobs}, {@code viewer}, whose ACLs {@code topics create} grants; plus the
 * PLAIN password of the controller listener (SCRAM cannot serve there: its credentials live in the
 * metadata the controllers serve). Generated once into {@code <data-dir>/credentials} (0700, files
 * 0600), each role's client properties in {@code <role>.properties}, and registered when the brokers'
 * storage is formatted.
 */
public final class ClusterCredentials {
  public static final List<String> ROLES = List.of("admin", "collector", "jobs", "viewer");
  static final String CONTROLLER = "controller";
  private static final String DIR = "credentials";
  private static final String PASSWORDS = "passwords.properties";

  private final Path dir;
  private final Map<String, String> passwords;

  private ClusterCredentials(Path dir, Map<String, String> passwords) {
    this.dir = dir;
    this.passwords = passwords;
  }

  /** The credentials of the cluster in {@code layout}'s data directory, if it is a secured one. */
  public static Optional<ClusterCredentials> of(ClusterLayout layout) {
    Path dir = layout.dataDir().resolve(DIR);
    Path file = dir.resolve(PASSWORDS);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cluster's credentials " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> passwords = new LinkedHashMap<>();
    p.forEach((k, v) -> passwords.put(k.toString(), v.toString()));
    return Optional.of(new ClusterCredentials(dir, passwords));
  }

  /** The credentials of {@code layout}'s cluster, generated if it has none yet. */
  public static ClusterCredentials create(ClusterLayout layout) {
    Optional<ClusterCredentials> existing = of(layout);
    if (existing.isPresent()) {
      return existing.get();
    }
    Path dir = layout.dataDir().resolve(DIR);
    Map<String, String> passwords = new LinkedHashMap<>();
    SecureRandom random = new SecureRandom();
    for (String user : List.of("admin", "collector", "jobs", "viewer", CONTROLLER)) {
      byte[] b = new byte[32];
      random.nextBytes(b);
      passwords.put(user, Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }
    ClusterCredentials c = new ClusterCredentials(dir, passwords);
    try {
      Files.createDirectories(layout.dataDir());
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      for (String role : ROLES) {
        Properties p = new Properties();
        p.put("bootstrap.servers", layout.bootstrapServers());
        p.putAll(c.clientProperties(role));
        writePrivate(c.roleFile(role), p, "Kafka client settings of the " + role + " role of the bpfstream cluster");
      }
      Properties all = new Properties();
      all.putAll(passwords);
      writePrivate(dir.resolve(PASSWORDS), all, "passwords of the bpfstream cluster's users (the brokers' storage holds them since its format)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the cluster's credentials into " + dir + ": " + e.getMessage(), e);
    }
    return c;
  }

  /** Writes a properties file readable by its owner only, from its creation on. */
  static void writePrivate(Path file, Properties p, String comment) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
      p.store(out, comment);
    }
  }

  /** {@code <data-dir>/credentials/<role>.properties}: bootstrap servers and SASL settings of the role. */
  public Path roleFile(String role) {
    return dir.resolve(role + ".properties");
  }

  /** The SASL/SCRAM client settings of {@code role} (no bootstrap servers). */
  public Map<String, String> clientProperties(String role) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("security.protocol", "SASL_PLAINTEXT");
    p.put("sasl.mechanism", "SCRAM-SHA-512");
    p.put("sasl.jaas.config", jaas("org.apache.kafka.common.security.scram.ScramLoginModule", role, password(role), ""));
    return p;
  }

  /** The broker settings: SCRAM on the client listener (also between brokers, as admin), PLAIN on the controllers', ACLs. */
  Map<String, String> brokerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    p.put("inter.broker.listener.name", "CLIENT");
    p.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
    p.put("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put("listener.name.client.scram-sha-512.sasl.jaas.config",
        jaas("org.apache.kafka.common.security.scram.ScramLoginModule", "admin", password("admin"), ""));
    p.put("sasl.mechanism.controller.protocol", "PLAIN");
    p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    p.put("listener.name.controller.plain.sasl.jaas.config", jaas("org.apache.kafka.common.security.plain.PlainLoginModule",
        CONTROLLER, password(CONTROLLER), " user_" + CONTROLLER + "=\"" + password(CONTROLLER) + "\""));
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:admin;User:" + CONTROLLER);
    p.put("allow.everyone.if.no.acl.found", "false");
    return p;
  }

  /** {@code kafka-storage format --add-scram} arguments: every role's SCRAM-SHA-512 credential. */
  List<String> scramArguments() {
    return ROLES.stream().map(r -> "SCRAM-SHA-512=[name=" + r + ",password=" + password(r) + "]").toList();
  }

  private String password(String user) {
    String p = passwords.get(user);
    if (p == null) {
      throw new IllegalStateException("no password for " + user + " in " + dir.resolve(PASSWORDS) + ": delete " + dir
          + " and the cluster's data to start a secured cluster afresh");
    }
    return p;
  }

  private static String jaas(String module, String user, String password, String more) {
    return module + " required username=\"" + user + "\" password=\"" + password + "\"" + more + ";";
  }
}

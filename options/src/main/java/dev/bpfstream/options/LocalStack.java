package dev.bpfstream.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where {@code bpfstream up} keeps its data, and the Kafka credentials it generates there (with the
 * bootstrap servers of its broker). A command given no security settings (no
 * {@code security.protocol} in --kafka-config or -X) that talks to that broker uses them if it can
 * read them, so root's tools reach root's stack with no option at all, and another user's do not;
 * any other broker (another host's, a test's) never gets them.
 */
public final class LocalStack {
  /** The SASL/SCRAM client settings `bpfstream up` writes into its data directory (0600). */
  public static final String CLIENT_FILE = "client.properties";
  private static final String SECURITY_PROTOCOL = "security.protocol";

  private LocalStack() {
  }

  /** {@code $XDG_STATE_HOME/bpfstream}, else {@code ~/.local/state/bpfstream}. */
  public static Path defaultDataDir() {
    String state = System.getenv("XDG_STATE_HOME");
    Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("bpfstream");
  }

  /**
   * The credentials in {@code dataDir} for a client configured as {@code given} (bootstrap servers
   * included): none when it has security settings of its own, talks to another broker than the
   * stack's, or the file is missing or unreadable.
   */
  static Map<String, String> credentialsFor(Map<String, String> given, Path dataDir) {
    Path file = dataDir.resolve(CLIENT_FILE);
    if (given.containsKey(SECURITY_PROTOCOL) || !Files.isReadable(file)) {
      return Map.of();
    }
    Map<String, String> found = new LinkedHashMap<>();
    try {
      found.putAll(KafkaConfigFile.load(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ", the local stack's Kafka credentials (read as no security settings were given), "
          + "cannot be read as a properties file: delete it and restart bpfstream up, or give --kafka-config");
    }
    String stack = found.remove("bootstrap.servers");
    return stack != null && servers(stack).equals(servers(given.get("bootstrap.servers"))) ? found : Map.of();
  }

  /** The comma-separated HOST:PORT as a set, localhost written 127.0.0.1. */
  private static Set<String> servers(String list) {
    Set<String> out = new TreeSet<>();
    for (String s : list.split(",")) {
      out.add(s.strip().replaceFirst("^(?i)localhost:", "127.0.0.1:"));
    }
    return out;
  }
}

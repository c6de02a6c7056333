package dev.bpfstream.options;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** A Kafka client properties file (TLS, SASL settings) as given with --kafka-config. */
public final class KafkaConfigFile {
  private KafkaConfigFile() {
  }

  /** The file's properties; empty when {@code file} is null. */
  public static Map<String, String> load(Path file) {
    Map<String, String> m = new LinkedHashMap<>();
    if (file == null) {
      return m;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("--kafka-config " + file + ": cannot read (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) {
      // Properties.load's only complaint: a malformed unicode escape.
      throw new IllegalArgumentException("--kafka-config " + file + ": not a properties file (" + e.getMessage() + ")");
    }
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }
}

package dev.bpfstream.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

/** `--kafka-config FILE` with random bytes: read as properties, or refused in one line naming the file. */
class KafkaConfigFileFuzzTest {
  private static final Path DIR = tempDir();
  private static final Path FILE = DIR.resolve("kafka.properties");

  @Property(tries = 500)
  void randomBytesAreReadOrRefusedNamingTheFile(@ForAll @Size(max = 200) byte[] bytes) throws IOException {
    Files.write(FILE, bytes);
    try {
      Map<String, String> m = KafkaConfigFile.load(FILE);
      assertThat(m).isNotNull();
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("--kafka-config " + FILE + ": ").doesNotContain("\n");
    }
  }

  @Example
  void aBadEscapeIsRefusedNamingTheFile() throws IOException {
    Files.writeString(FILE, "ssl.truststore.password=\\uZZZZ\n");
    try {
      KafkaConfigFile.load(FILE);
      throw new AssertionError("a malformed escape was taken");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("--kafka-config " + FILE + ": not a properties file (");
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("kafka-config-fuzz");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterContainer
  static void removeTempDir() throws IOException {
    Files.deleteIfExists(FILE);
    Files.deleteIfExists(DIR);
  }
}

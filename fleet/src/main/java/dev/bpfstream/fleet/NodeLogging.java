package dev.bpfstream.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The log4j2 configuration every part of the cluster runs with: its own file under logs/. */
final class NodeLogging {
  private NodeLogging() {
  }

  static Path file(ClusterLayout l) {
    return l.conf().resolve("log4j2-node.xml");
  }

  static void write(ClusterLayout l) {
    try (InputStream in = NodeLogging.class.getResourceAsStream("log4j2-node.xml")) {
      Files.createDirectories(l.conf());
      Files.copy(in, file(l), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file(l) + ": " + e.getMessage(), e);
    }
  }
}

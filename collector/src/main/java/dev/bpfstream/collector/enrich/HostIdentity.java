package dev.bpfstream.collector.enrich;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host id (machine-id unless configured) and hostname every record carries. */
public record HostIdentity(String hostId, String hostname) {

  public static HostIdentity detect(String configuredHostId) {
    String hostname = read(Path.of("/proc/sys/kernel/hostname"), "localhost");
    String id = configuredHostId != null && !configuredHostId.isBlank() ? configuredHostId
        : read(Path.of("/etc/machine-id"), hostname);
    return new HostIdentity(id, hostname);
  }

  private static String read(Path p, String fallback) {
    try {
      String s = Files.readString(p).trim();
      return s.isEmpty() ? fallback : s;
    } catch (IOException e) {
      return fallback;
    }
  }
}

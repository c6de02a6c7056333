package dev.bpfstream.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The console's access token: 32 random bytes in hex, kept in {@code <data-dir>/console.token}
 * (mode 0600, so only its owner can read it) and reused at the next start, so a bookmarked URL
 * keeps working. Compared in constant time.
 */
final class ConsoleToken {
  static final String FILE = "console.token";
  private static final Pattern VALID = Pattern.compile("[0-9a-f]{64}");

  private final String value;

  private ConsoleToken(String value) {
    this.value = value;
  }

  static ConsoleToken loadOrCreate(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      String v = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (VALID.matcher(v).matches()) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return new ConsoleToken(v);
      }
    }
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    String v = HexFormat.of().formatHex(b);
    Path tmp = Files.createTempFile(dataDir, FILE, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, v + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return new ConsoleToken(v);
  }

  boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII), candidate.getBytes(StandardCharsets.US_ASCII));
  }

  String value() {
    return value;
  }
}

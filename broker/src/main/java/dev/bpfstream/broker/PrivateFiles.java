package dev.bpfstream.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Files only their owner may read: secrets are created 0600, never world-readable for a moment. */
public final class PrivateFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private PrivateFiles() {
  }

  /** 256 random bits, base64url: a password or token that needs no quoting anywhere. */
  public static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The secret kept in {@code file} (its first line), written there first if the file is missing. */
  public static String secret(Path file) {
    try {
      if (Files.exists(file)) {
        String s = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        if (!s.isEmpty()) {
          return s;
        }
      }
      String s = newSecret();
      write(file, s + "\n");
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code text} to {@code file} as a new 0600 file that replaces the old one at once. */
  public static void write(Path file, String text) {
    try {
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp"); // 0600
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Makes {@code file} readable and writable by its owner only. */
  public static void restrict(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }
}

package dev.bpfstream.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PKCS12 key store holding one EC key and its self-signed certificate for 127.0.0.1, ::1 and
 * localhost: each side of a loopback connection presents it and trusts only it, which is mutual TLS
 * between the parts of one stack. The JDK's keytool makes it (the JDK has no public API to sign a
 * certificate); the file is written 0600 wherever it is created.
 *
 * <p>The same file serves as key store and trust store: the JDK trusts the certificate of a key entry.
 */
public record LoopbackKeyStore(Path path, String password) {
  public static final String TYPE = "PKCS12";
  private static final String ALIAS = "bpfstream";

  /** Makes a new key store at {@code path} (which must not exist) with {@code password}. */
  public static LoopbackKeyStore create(Path path, String password) {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = List.of(keytool.toString(), "-genkeypair", "-keystore", path.toString(), "-storetype", TYPE,
        "-storepass:env", "KS_PASSWORD", "-keypass:env", "KS_PASSWORD", "-alias", ALIAS, "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=bpfstream loopback", "-validity", "3650",
        "-ext", "SAN=ip:127.0.0.1,ip:0:0:0:0:0:0:0:1,dns:localhost");
    try {
      Files.createDirectories(path.getParent());
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      // The password goes through the environment, not the command line that ps shows to everyone.
      pb.environment().put("KS_PASSWORD", password);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool could not create " + path + ": " + out.replace('\n', ' '));
      }
      PrivateFiles.restrict(path);
      return new LoopbackKeyStore(path, password);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + keytool + " to create " + path + " (" + e.getMessage()
          + "): a JDK or JRE with keytool is needed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating " + path, e);
    }
  }

  /** The key store, loaded. */
  public KeyStore load() throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance(TYPE);
    try (InputStream in = Files.newInputStream(path)) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }
}

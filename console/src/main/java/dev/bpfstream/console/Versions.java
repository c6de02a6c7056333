package dev.bpfstream.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions of the vendored browser libraries, read from their WebJars' Maven metadata. */
final class Versions {
  static final String UPLOT = webjar("uplot");

  private Versions() {
  }

  private static String webjar(String name) {
    try (InputStream in = Versions.class.getClassLoader().getResourceAsStream("META-INF/maven/org.webjars.npm/" + name + "/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the " + name + " WebJar is not on the class path: rebuild with mvn package");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new IllegalStateException("reading the " + name + " WebJar's version: " + e.getMessage());
    }
  }
}

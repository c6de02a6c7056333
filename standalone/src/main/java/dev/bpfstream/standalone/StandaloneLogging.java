package dev.bpfstream.standalone;

import java.nio.file.Path;

/** The terminal belongs to the live view: logs go to a file in the data dir. */
final class StandaloneLogging {
  private StandaloneLogging() {
  }

  static void toFile(Path file) {
    System.setProperty("bpfstream.log.file", file.toString());
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "bpfstream-log4j2.xml");
    }
    org.apache.logging.log4j.core.LoggerContext ctx = (org.apache.logging.log4j.core.LoggerContext)
        org.apache.logging.log4j.LogManager.getContext(false);
    ctx.setConfigLocation(java.net.URI.create("classpath:bpfstream-log4j2.xml"));
  }
}

package dev.bpfstream.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The HTML of each page: one template with the page's name, title and scripts filled in. */
final class Pages {
  private static final Map<String, String> TITLES = Map.of(
      "overview", "Overview", "workloads", "Top workloads", "latency", "Latency", "profile", "Profile",
      "alerts", "Alerts", "namespaces", "Namespaces");
  private static final String TEMPLATE = load();

  private Pages() {
  }

  private static String load() {
    try {
      byte[] b = ConsoleServer.resource("dev/bpfstream/console/page.html");
      if (b == null) {
        throw new IllegalStateException("page.html missing from the jar");
      }
      return new String(b, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] page(String name) {
    boolean charts = name.equals("overview") || name.equals("latency") || name.equals("workloads");
    String vendor = charts ? "<link rel=\"stylesheet\" href=\"/vendor/uplot.css\">\n<script src=\"/vendor/uplot.js\"></script>" : "";
    StringBuilder nav = new StringBuilder();
    for (String p : ConsoleServer.PAGES) {
      nav.append("    <a data-nav=\"").append(p).append("\" href=\"/").append(p).append("\">").append(TITLES.get(p)).append("</a>\n");
    }
    return TEMPLATE.replace("{{PAGE}}", name).replace("{{TITLE}}", TITLES.get(name)).replace("{{VENDOR}}", vendor)
        .replace("{{NAV}}", nav.toString().stripTrailing())
        .getBytes(StandardCharsets.UTF_8);
  }
}

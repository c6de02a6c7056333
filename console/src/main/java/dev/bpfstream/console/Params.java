package dev.bpfstream.console;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of a request, checked: each at most once, only names the endpoint knows,
 * values bounded. Everything wrong is a {@link BadRequest} naming the parameter.
 */
final class Params {
  static final int MAX_QUERY = 4096;
  static final int MAX_VALUE = 1024;

  private final Map<String, String> values;

  private Params(Map<String, String> values) {
    this.values = values;
  }

  static Params of(URI uri, Set<String> allowed) {
    String q = uri.getRawQuery();
    Map<String, String> m = new LinkedHashMap<>();
    if (q == null || q.isEmpty()) {
      return new Params(m);
    }
    if (q.length() > MAX_QUERY) {
      throw new BadRequest(414, "query string of " + q.length() + " characters is too long (at most " + MAX_QUERY + ")");
    }
    for (String pair : q.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k;
      String v;
      try {
        k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw BadRequest.of("malformed query parameter " + Json.quoteForMessage(pair) + ": " + e.getMessage());
      }
      if (k.equals("token")) {
        continue; // authentication, checked before
      }
      if (!allowed.contains(k)) {
        throw BadRequest.of("unknown parameter " + Json.quoteForMessage(k) + " (this page takes: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
      if (m.containsKey(k)) {
        throw BadRequest.of("parameter " + k + " given twice");
      }
      if (v.length() > MAX_VALUE) {
        throw BadRequest.of("parameter " + k + " is too long (at most " + MAX_VALUE + " characters)");
      }
      m.put(k, v);
    }
    return new Params(m);
  }

  /** The value, or null when absent or empty. */
  String get(String name) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  String get(String name, String fallback) {
    String v = get(name);
    return v == null ? fallback : v;
  }

  /** host, container, pidns: the view's scope. */
  ViewScope scope(String prefix) {
    String pidns = get(prefix + "pidns");
    Long ns = null;
    if (pidns != null) {
      String digits = pidns.startsWith("pid:") ? pidns.substring(4) : pidns;
      try {
        ns = Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw BadRequest.of(prefix + "pidns=" + Json.quoteForMessage(pidns) + " is not a namespace inode: give the number, e.g. 4026531836");
      }
    }
    return new ViewScope(get(prefix + "host"), get(prefix + "container"), ns);
  }

  TimeRange range(String prefix, long nowMs) {
    return TimeRange.parse(get(prefix + "from"), get(prefix + "to"), nowMs);
  }

  boolean has(String name) {
    return get(name) != null;
  }
}

package dev.bpfstream.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP server (the JDK's own): pages, their scripts, the vendored uPlot, JSON and
 * SVG views under {@code /api}, and the live event stream. Every request needs the token: a page
 * opened with {@code ?token=...} gets it as an HttpOnly, SameSite=Strict cookie and is redirected
 * to the same URL without it; scripts may send {@code Authorization: Bearer TOKEN}. Anything else
 * is a 401. Errors are one line (JSON under /api), never a stack trace.
 */
final class ConsoleServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);
  static final List<String> PAGES = List.of("overview", "workloads", "latency", "profile", "alerts", "namespaces");
  private static final Pattern STATIC = Pattern.compile("/static/[a-z0-9-]+\\.(js|css)");
  private static final String UPLOT = "META-INF/resources/webjars/uplot/" + Versions.UPLOT + "/dist/";
  private static final Map<String, String> VENDOR = Map.of(
      "/vendor/uplot.js", UPLOT + "uPlot.iife.min.js",
      "/vendor/uplot.css", UPLOT + "uPlot.min.css");

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final ConsoleToken token;
  private final ConsoleApi api;
  private final LiveUpdates live;
  private final String cookie;

  ConsoleServer(InetAddress bind, int port, ConsoleToken token, ConsoleApi api, LiveUpdates live) throws IOException {
    this.token = token;
    this.api = api;
    this.live = live;
    this.server = HttpServer.create(new InetSocketAddress(bind, port), 64);
    this.cookie = "bpfstream-console-" + server.getAddress().getPort();
    this.executor = new ThreadPoolExecutor(2, 64, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "console-http");
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.CallerRunsPolicy());
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  ConsoleServer start() {
    server.start();
    return this;
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange ex) {
    String path = ex.getRequestURI().getPath();
    boolean apiPath = path.startsWith("/api/");
    try {
      secure(ex);
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        throw new BadRequest(405, method + " is not served: the console only reads");
      }
      if (!authorized(ex)) {
        throw new BadRequest(401, "this console needs its token: open the URL it printed at start (http://HOST:PORT/?token=...),"
            + " or send 'Authorization: Bearer TOKEN'; the token is in " + ConsoleToken.FILE + " in the data directory");
      }
      if (tokenInQuery(ex.getRequestURI()) && !apiPath) {
        // Keep the token out of the address bar, history and Referer: a cookie carries it from now on.
        ex.getResponseHeaders().add("Set-Cookie", cookie + "=" + token.value() + "; Path=/; HttpOnly; SameSite=Strict");
        redirect(ex, withoutToken(ex.getRequestURI()));
        return;
      }
      if (tokenInQuery(ex.getRequestURI())) {
        ex.getResponseHeaders().add("Set-Cookie", cookie + "=" + token.value() + "; Path=/; HttpOnly; SameSite=Strict");
      }
      route(ex, path);
    } catch (BadRequest e) {
      error(ex, e.status(), e.getMessage(), apiPath);
    } catch (IOException e) {
      log.debug("console: {} {}: {}", ex.getRequestMethod(), path, e.toString()); // the client went away
    } catch (RuntimeException e) {
      log.warn("console: {} {} failed", ex.getRequestMethod(), path, e);
      error(ex, 500, "internal error (" + e.getClass().getSimpleName() + "); the console's log has the details", apiPath);
    } finally {
      ex.close();
    }
  }

  private void route(HttpExchange ex, String path) throws IOException {
    if (path.equals("/") || path.isEmpty()) {
      String q = ex.getRequestURI().getRawQuery();
      redirect(ex, "/overview" + (q == null ? "" : "?" + q));
      return;
    }
    if (path.equals("/api/events")) {
      live.serve(ex);
      return;
    }
    if (path.startsWith("/api/")) {
      ConsoleApi.Response r = api.answer(path.substring(5), ex.getRequestURI());
      send(ex, 200, r.contentType(), r.body(), r.downloadName());
      return;
    }
    String page = path.substring(1);
    if (PAGES.contains(page)) {
      send(ex, 200, "text/html; charset=utf-8", Pages.page(page), null);
      return;
    }
    if (STATIC.matcher(path).matches()) {
      byte[] body = resource("dev/bpfstream/console" + path);
      if (body != null) {
        send(ex, 200, path.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8", body, null);
        return;
      }
    }
    String vendor = VENDOR.get(path);
    if (vendor != null) {
      byte[] body = resource(vendor);
      if (body != null) {
        send(ex, 200, path.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8", body, null);
        return;
      }
    }
    throw new BadRequest(404, "no such page: " + Json.quoteForMessage(path) + " (pages: /" + String.join(", /", PAGES) + ")");
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private boolean authorized(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth != null && auth.startsWith("Bearer ") && token.matches(auth.substring(7).strip())) {
      return true;
    }
    List<String> cookies = ex.getRequestHeaders().get("Cookie");
    if (cookies != null) {
      for (String header : cookies) {
        for (String c : header.split(";")) {
          String kv = c.strip();
          if (kv.startsWith(cookie + "=") && token.matches(kv.substring(cookie.length() + 1))) {
            return true;
          }
        }
      }
    }
    String q = ex.getRequestURI().getRawQuery();
    if (q != null) {
      for (String pair : q.split("&")) {
        if (pair.startsWith("token=") && token.matches(pair.substring(6))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean tokenInQuery(URI uri) {
    String q = uri.getRawQuery();
    return q != null && (q.startsWith("token=") || q.contains("&token="));
  }

  private static String withoutToken(URI uri) {
    StringBuilder q = new StringBuilder();
    for (String pair : uri.getRawQuery().split("&")) {
      if (!pair.startsWith("token=") && !pair.isEmpty()) {
        q.append(q.length() == 0 ? "?" : "&").append(pair);
      }
    }
    String path = uri.getRawPath().equals("/") ? "/overview" : uri.getRawPath();
    return path + q;
  }

  private static void secure(HttpExchange ex) {
    var h = ex.getResponseHeaders();
    h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cache-Control", "no-store");
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(303, -1);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body, String downloadName) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    if (downloadName != null) {
      ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + downloadName + "\"");
    }
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void error(HttpExchange ex, int status, String message, boolean json) {
    try {
      byte[] body = json ? Json.bytes(Map.of("status", status, "error", message))
          : (status + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
      if (status == 401) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"bpfstream console\"");
      }
      send(ex, status, json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8", body, null);
    } catch (IOException | RuntimeException e) {
      log.debug("console: could not send error {}: {}", status, e.toString());
    }
  }

  @Override
  public void close() {
    live.close();
    server.stop(0);
    executor.shutdownNow();
  }
}

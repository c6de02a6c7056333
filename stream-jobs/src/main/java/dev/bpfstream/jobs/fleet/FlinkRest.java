package dev.bpfstream.jobs.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JobManager's REST API, the part a submission needs: upload a jar, run it, follow the job.
 * These are the calls the web UI's "Submit New Job" makes ({@code POST /jars/upload},
 * {@code POST /jars/:id/run}), so a cluster of any make that serves the Flink REST API takes them.
 */
public final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** @param jobManager host:port of the REST endpoint */
  public FlinkRest(String jobManager) {
    int colon = jobManager.lastIndexOf(':');
    if (colon <= 0 || !jobManager.substring(colon + 1).matches("\\d{1,5}")) {
      throw new IllegalArgumentException("--jobmanager must be host:port of the JobManager's REST API, e.g. 127.0.0.1:8081, not '" + jobManager + "'");
    }
    this.base = "http://" + jobManager;
  }

  public String base() {
    return base;
  }

  public JsonNode get(String path) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), path);
  }

  /**
   * The id of {@code jar} on the cluster, uploading it unless a jar of the same content is there
   * already (uploads are named by their SHA-256, so a resubmission of the same build uploads nothing).
   */
  public String upload(Path jar) throws IOException {
    String name = jar.getFileName().toString().replaceAll("\\.jar$", "") + "-" + sha256(jar).substring(0, 16) + ".jar";
    for (JsonNode f : get("/jars").path("files")) {
      if (name.equals(f.path("name").asText())) {
        return f.path("id").asText();
      }
    }
    String boundary = "bpfstream-" + UUID.randomUUID();
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + name + "\"\r\n"
        + "Content-Type: application/x-java-archive\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
        .timeout(Duration.ofMinutes(5))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
            HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofString(tail)));
    JsonNode r = send(req, "/jars/upload");
    String stored = r.path("filename").asText();
    if (stored.isEmpty()) {
      throw new IOException("the JobManager did not take " + jar + ": " + r);
    }
    return Path.of(stored).getFileName().toString();
  }

  /** Runs the uploaded jar's {@code entryClass} with {@code args} in the JobManager; returns the id of the job it submitted. */
  public String run(String jarId, String entryClass, List<String> args) throws IOException {
    byte[] body = JSON.writeValueAsBytes(Map.of("entryClass", entryClass, "programArgsList", args));
    JsonNode r = send(HttpRequest.newBuilder(URI.create(base + "/jars/" + jarId + "/run")).timeout(Duration.ofMinutes(3))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)), "/jars/" + jarId + "/run");
    return r.path("jobid").asText();
  }

  private JsonNode send(HttpRequest.Builder req, String path) throws IOException {
    HttpResponse<String> r;
    try {
      r = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new IOException("no Flink JobManager answers at " + base + ": is the cluster up? (--jobmanager host:port of its REST API)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (r.statusCode() / 100 != 2) {
      throw new IOException(path + ": HTTP " + r.statusCode() + ": " + errorText(r.body()));
    }
    return JSON.readTree(r.body());
  }

  /**
   * The line that says what went wrong in a REST error: Flink returns {"errors": [text]} whose text is
   * a whole stack trace; the innermost cause is the one a person can act on.
   */
  static String errorText(String body) {
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      String all = errors.isArray() && !errors.isEmpty() ? String.join("\n", toTexts(errors)) : body;
      String cause = null;
      for (String line : all.split("\n")) {
        String l = line.trim();
        if (l.startsWith("Caused by: ")) {
          cause = l.substring("Caused by: ".length());
        }
      }
      String first = all.split("\n")[0].trim();
      return cause != null ? cause : first;
    } catch (IOException e) {
      return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
  }

  private static List<String> toTexts(JsonNode errors) {
    List<String> out = new java.util.ArrayList<>();
    errors.forEach(e -> out.add(e.asText()));
    return out;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

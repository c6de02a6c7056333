package dev.bpfstream.jobs.alert;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs JSON to a webhook with retries: connection errors, 5xx and 429 are retried with exponential
 * backoff up to {@code maxAttempts}; other 4xx are not (the request itself is wrong, retrying will
 * not help).
 */
public final class WebhookClient {

  /** Settings; serializable so the sink can carry them to the task managers. */
  public record Settings(URI url, int maxAttempts, long initialBackoffMs, long maxBackoffMs, long timeoutMs) implements Serializable {
    public static Settings of(URI url) {
      return new Settings(url, 5, 200, 5_000, 5_000);
    }
  }

  /** The outcome of one delivery: delivered or not, after how many attempts, and why not. */
  public record Delivery(boolean delivered, int attempts, int lastStatus, String failure) {
  }

  private final Settings settings;
  private final HttpClient http;

  public WebhookClient(Settings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(settings.timeoutMs())).build();
  }

  public Delivery post(String json) throws InterruptedException {
    long backoff = settings.initialBackoffMs();
    int status = 0;
    String failure = null;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(settings.url())
            .timeout(Duration.ofMillis(settings.timeoutMs()))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(), HttpResponse.BodyHandlers.ofString());
        status = r.statusCode();
        if (status / 100 == 2) {
          return new Delivery(true, attempt, status, null);
        }
        failure = "HTTP " + status;
        if (status / 100 == 4 && status != 429) {
          return new Delivery(false, attempt, status, failure + " (not retried: the webhook refused the request)");
        }
      } catch (IOException e) {
        failure = e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
      }
      if (attempt < settings.maxAttempts()) {
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, settings.maxBackoffMs());
      }
    }
    return new Delivery(false, settings.maxAttempts(), status, failure);
  }
}

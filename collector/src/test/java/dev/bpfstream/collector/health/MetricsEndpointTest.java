package dev.bpfstream.collector.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void withATokenOnlyRequestsCarryingItAreAnswered() throws Exception {
    try (MetricsEndpoint endpoint = new MetricsEndpoint("127.0.0.1", 0, "s3cret", () -> null)) {
      assertThat(get(endpoint, null).statusCode()).isEqualTo(401);
      assertThat(get(endpoint, null).headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(get(endpoint, "Bearer guess").statusCode()).isEqualTo(401);
      assertThat(get(endpoint, "Bearer s3cre").statusCode()).isEqualTo(401);
      HttpResponse<String> ok = get(endpoint, "Bearer s3cret");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("# no report yet\n");
    }
  }

  @Test
  void withoutATokenEveryRequestIsAnswered() throws Exception {
    try (MetricsEndpoint endpoint = new MetricsEndpoint("127.0.0.1", 0, () -> null)) {
      assertThat(get(endpoint, null).statusCode()).isEqualTo(200);
    }
  }

  private HttpResponse<String> get(MetricsEndpoint endpoint, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

package dev.bpfstream.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import dev.bpfstream.event.Severity;
import org.junit.jupiter.api.Test;

class WebhookClientTest {

  static WebhookClient client(URI url, int attempts) {
    return new WebhookClient(new WebhookClient.Settings(url, attempts, 10, 40, 2_000));
  }

  static Alert alert() {
    return Alert.newBuilder().setAlertId("r/host=h").setRuleId("r").setSeverity(Severity.WARNING).setState(AlertState.FIRING)
        .setHostId("h").setSubject("host h").setValue(2.5).setWindowStartNs(1_000_000_000L).setWindowEndNs(2_000_000_000L)
        .setFirstSeenNs(1_000_000_000L).setLastSeenNs(2_000_000_000L).setMessage("m").setEvidence(List.of("e1", "e2")).build();
  }

  @Test
  void serverErrorsAreRetriedUntilTheWebhookTakesTheAlert() throws Exception {
    try (LoopbackWebhook hook = new LoopbackWebhook(n -> n <= 2 ? 503 : 200)) {
      WebhookClient.Delivery d = client(hook.url(), 5).post(AlertJson.toJson(alert()));
      assertThat(d).isEqualTo(new WebhookClient.Delivery(true, 3, 200, null));
      JsonNode json = new ObjectMapper().readTree(hook.bodies.get(0));
      assertThat(json.get("alertId").asText()).isEqualTo("r/host=h");
      assertThat(json.get("state").asText()).isEqualTo("FIRING");
      assertThat(json.get("value").asDouble()).isEqualTo(2.5);
      assertThat(json.get("threshold").isNull()).isTrue();
      assertThat(json.get("firstSeen").asText()).isEqualTo("1970-01-01T00:00:01Z");
      assertThat(json.get("evidence")).hasSize(2);
    }
  }

  @Test
  void aRefusedRequestIsNotRetriedAndGivingUpSaysWhy() throws Exception {
    try (LoopbackWebhook hook = new LoopbackWebhook(n -> 400)) {
      WebhookClient.Delivery d = client(hook.url(), 5).post("{}");
      assertThat(d.delivered()).isFalse();
      assertThat(d.attempts()).isEqualTo(1);
      assertThat(d.failure()).isEqualTo("HTTP 400 (not retried: the webhook refused the request)");
    }
    try (LoopbackWebhook hook = new LoopbackWebhook(n -> 500)) {
      WebhookClient.Delivery d = client(hook.url(), 3).post("{}");
      assertThat(d).isEqualTo(new WebhookClient.Delivery(false, 3, 500, "HTTP 500"));
      assertThat(hook.requests.get()).isEqualTo(3);
    }
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    WebhookClient.Delivery d = client(URI.create("http://127.0.0.1:" + closedPort + "/hook"), 2).post("{}");
    assertThat(d.delivered()).isFalse();
    assertThat(d.attempts()).isEqualTo(2);
    assertThat(d.failure()).startsWith("ConnectException");
  }
}

package dev.bpfstream.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.schema.TopicLeaders;
import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.Alert;
import dev.bpfstream.event.AlertState;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.ProbeHealth;
import dev.bpfstream.event.Severity;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bpfstream console --bootstrap-servers ...` as a fleet runs it: a process of its own against a
 * real broker (no Flink), under a topic prefix; it prints its URL, reads what collectors and the
 * alerts job wrote (an unreadable record among them is counted, not fatal) and serves it with the
 * token only.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConsoleCommandTest {

  @Test
  void theConsoleCommandServesAFleetsTopicsWithItsToken(TestBroker broker, @TempDir Path data) throws Exception {
    String prefix = "c" + UUID.randomUUID().toString().substring(0, 8) + ".";
    try (Admin admin = Admin.create(broker.clientProperties())) {
      List<NewTopic> topics = new ArrayList<>();
      for (Topic t : TopicReader.TOPICS) {
        topics.add(new NewTopic(prefix + t.topicName(), 1, (short) 1));
      }
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
      TopicLeaders.await(admin, topics.stream().map(NewTopic::name).toList(), 30_000);
    }
    long now = System.currentTimeMillis() * 1_000_000;
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(broker.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      send(p, prefix + Topic.HEALTH.topicName(), health(now - 20_000_000_000L, now - 25_000_000_000L, 100, 0));
      send(p, prefix + Topic.HEALTH.topicName(), health(now - 10_000_000_000L, now - 25_000_000_000L, 300, 7));
      p.send(new ProducerRecord<>(prefix + Topic.HEALTH.topicName(), "web-1".getBytes(), new byte[] {1, 2, 3})).get();
      send(p, prefix + Topic.ALERTS.topicName(), Alert.newBuilder().setAlertId("exec-from-world-writable-dir/web-1").setRuleId("exec-from-world-writable-dir")
          .setSeverity(Severity.CRITICAL).setState(AlertState.FIRING).setHostId("web-1").setSubject("host web-1").setWindowStartNs(now)
          .setWindowEndNs(now).setFirstSeenNs(now - 5_000_000_000L).setLastSeenNs(now - 5_000_000_000L)
          .setMessage("exec of /tmp/x/evil from a world-writable directory").setEvidence(List.of("argv: /tmp/x/evil")).build());
    }

    String java = ProcessHandle.current().info().command().orElse("java");
    Process console = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ConsoleMain.class.getName(),
        "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", prefix, "--port", "0", "--data-dir", data.toString(),
        "--retention", "10m").start();
    try {
      BufferedReader err = new BufferedReader(new InputStreamReader(console.getErrorStream(), StandardCharsets.UTF_8));
      String url = null;
      String line;
      while (url == null && (line = err.readLine()) != null) {
        if (line.contains("open http://127.0.0.1:")) {
          url = line.substring(line.indexOf("http://"));
        }
      }
      assertThat(url).as("the console prints its URL with the token").isNotNull().contains("/?token=");
      String base = url.substring(0, url.indexOf("/?token="));
      String token = url.substring(url.indexOf("token=") + 6);
      HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

      String overview = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r = get(http, base + "/api/overview?from=-5m", token);
        assertThat(r.statusCode()).isEqualTo(200);
        // Health and alerts are read by readers of their own: wait for both.
        if (r.body().contains("\"lost\":7") && r.body().contains("exec-from-world-writable-dir")) {
          overview = r.body();
          break;
        }
        Thread.sleep(500);
      }
      assertThat(overview).as("the health reports read and differenced").isNotNull()
          .contains("\"name\":\"web-1\"").contains("\"attempted\":300").contains("exec-from-world-writable-dir");
      assertThat(get(http, base + "/api/alerts", token).body()).contains("argv: /tmp/x/evil").contains("\"open\":true");
      assertThat(get(http, base + "/api/scopes", token).body()).contains("\"unreadable\":1");

      // Without the token: 401. With it in the URL of a page: a cookie and a redirect to the same page without it.
      assertThat(get(http, base + "/api/overview", null).statusCode()).isEqualTo(401);
      HttpResponse<String> first = get(http, base + "/alerts?host=web-1&token=" + token, null);
      assertThat(first.statusCode()).isEqualTo(303);
      assertThat(first.headers().firstValue("Location")).hasValue("/alerts?host=web-1");
      assertThat(first.headers().firstValue("Set-Cookie")).get().asString().contains("HttpOnly").contains("SameSite=Strict");
      assertThat(first.headers().firstValue("Content-Security-Policy")).isPresent();
    } finally {
      console.destroy();
      assertThat(console.waitFor(30, TimeUnit.SECONDS)).as("SIGTERM stops it").isTrue();
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static CollectorHealth health(long timeNs, long startedNs, long attempted, long lost) {
    ProbeHealth probe = ProbeHealth.newBuilder().setProbe("exec").setAttached(true).setAttempted(attempted)
        .setDelivered(attempted - lost).setLostKernel(lost).setLostUser(0).setParseErrors(0).setProduced(attempted - lost).build();
    return CollectorHealth.newBuilder().setHostId("web-1").setHostname("web-1").setTimeNs(timeNs).setIntervalNs(10_000_000_000L)
        .setStartedNs(startedNs).setVersion("test").setKernelRelease("6.x").setProbes(List.of(probe)).build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void send(KafkaProducer<byte[], byte[]> p, String topic, SpecificRecord r) throws Exception {
    WireCodec codec = WireCodec.of(r.getClass());
    p.send(new ProducerRecord<>(topic, "web-1".getBytes(), codec.encode(r))).get();
  }
}

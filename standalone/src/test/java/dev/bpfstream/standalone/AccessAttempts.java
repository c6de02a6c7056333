package dev.bpfstream.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What a local user can do to a running stack, tried the way an intruder would: a program run as
 * that user (the test runs it as root and as nobody), with only kafka-clients and the JDK. It reads
 * the stack's credentials from the data directory if it can, and otherwise goes on without them
 * (and tries a guessed password).
 * One line per attempt: {@code ALLOWED name} or {@code REFUSED name: why}.
 *
 * <p>Arguments, as {@code key=value}: {@code data-dir}, {@code kafka} (port), {@code topics} (comma
 * separated), {@code produce-topic}, {@code kafka-tls} (ports of the broker's TLS listeners, comma
 * separated), {@code controller} (port), {@code blob} (port), {@code rest} (port), {@code metrics}
 * (port), {@code console} (port), {@code files} (a file listing data-dir files to read, one a line).
 */
public final class AccessAttempts {
  private static final String HOST = "127.0.0.1";
  private static final int TIMEOUT_MS = 20_000;

  private AccessAttempts() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    Path dataDir = Path.of(a.get("data-dir"));
    Properties client = readProperties(dataDir.resolve("client.properties"));
    Properties controller = readProperties(dataDir.resolve("controller.properties"));
    String metricsToken = readToken(dataDir.resolve("metrics.token"));
    String consoleToken = readToken(dataDir.resolve("console.token"));

    List<String> topics = List.of(a.get("topics").split(","));
    Map<String, String> consumed = consumeEach(a.get("kafka"), client, topics, "");
    for (String topic : topics) {
      System.out.println(consumed.get(topic));
    }
    String topic = a.get("produce-topic");
    attempt("produce to " + topic, () -> produce(a.get("kafka"), client, topic));
    if (client.isEmpty()) {
      System.out.println(consumeEach(a.get("kafka"), guessedPassword(), List.of(topic), " with a guessed password").get(topic));
    }
    attempt("describe the cluster through the controller listener", () -> describeCluster(
        AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, a.get("controller"), controller));
    for (String port : a.get("kafka-tls").split(",")) {
      attempt("TLS handshake with the broker on " + port, () -> tlsHandshake(port, controller));
    }
    attempt("TLS handshake with Flink's blob server", () -> tlsHandshake(a.get("blob"), controller));
    attempt("GET Flink's REST /overview", () -> httpsGet(a.get("rest"), controller));
    attempt("GET the collector's /metrics", () -> bearerGet(a.get("metrics"), "/metrics", metricsToken));
    attempt("GET the web console's /api/overview", () -> bearerGet(a.get("console"), "/api/overview", consoleToken));
    List<String> files = Files.readAllLines(Path.of(a.get("files")));
    int read = 0;
    int gone = 0;
    String denied = null;
    for (String f : files) {
      try (InputStream in = Files.newInputStream(Path.of(f))) {
        in.read();
        read++;
      } catch (NoSuchFileException e) {
        gone++; // removed by the stack meanwhile (a Kafka segment, a Flink temp file)
      } catch (AccessDeniedException e) {
        denied = denied == null ? f : denied;
      }
    }
    String what = "read the " + files.size() + " files of the data directory";
    if (read == files.size() - gone) {
      System.out.println("ALLOWED " + what);
    } else {
      System.out.println("REFUSED " + what + ": " + (files.size() - gone - read) + " denied, " + read + " read, e.g. " + denied);
    }
    System.exit(0);
  }

  interface Attempt<T> {
    T run() throws Exception;
  }

  private static <T> T attempt(String name, Attempt<T> a) {
    try {
      T result = a.run();
      System.out.println("ALLOWED " + name);
      return result;
    } catch (Exception e) {
      System.out.println("REFUSED " + name + ": " + rootCause(e));
      return null;
    }
  }

  private static String rootCause(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + String.valueOf(root.getMessage()).replace('\n', ' ');
  }

  private static String readToken(Path file) {
    return attempt("read " + file, () -> Files.readString(file).strip());
  }

  private static Properties readProperties(Path file) throws IOException {
    Properties p = new Properties();
    String loaded = attempt("read " + file, () -> {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
      return "";
    });
    return loaded == null ? new Properties() : p;
  }

  private static Properties guessedPassword() {
    Properties p = new Properties();
    p.put("security.protocol", "SASL_PLAINTEXT");
    p.put("sasl.mechanism", "SCRAM-SHA-512");
    p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"bpfstream\" password=\"bpfstream\";");
    return p;
  }

  private static Map<String, Object> kafka(Properties security, String bootstrapKey, String port) {
    Map<String, Object> p = new HashMap<>();
    security.forEach((k, v) -> p.put(k.toString(), v));
    p.put(bootstrapKey, HOST + ":" + port);
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    return p;
  }

  /**
   * One consumer assigned every topic: the beginning and end offsets of each (what reading it all
   * takes, as far as the broker is concerned) and a poll. One line per topic.
   */
  private static Map<String, String> consumeEach(String port, Properties security, List<String> topics, String how) {
    Map<String, String> lines = new HashMap<>();
    List<TopicPartition> partitions = topics.stream().map(t -> new TopicPartition(t, 0)).toList();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka(security, ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, port),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.assign(partitions);
      Map<TopicPartition, Long> begin = c.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      int records = c.poll(Duration.ofSeconds(1)).count();
      for (TopicPartition tp : partitions) {
        lines.put(tp.topic(), begin.containsKey(tp) && end.containsKey(tp)
            ? "ALLOWED consume " + tp.topic() + how + " (offsets " + begin.get(tp) + ".." + end.get(tp) + ", " + records + " records polled in all)"
            : "REFUSED consume " + tp.topic() + how + ": no offsets");
      }
    } catch (Exception e) {
      String why = rootCause(e);
      topics.forEach(t -> lines.put(t, "REFUSED consume " + t + how + ": " + why));
    }
    return lines;
  }

  private static Object produce(String port, Properties security, String topic) throws Exception {
    Map<String, Object> p = kafka(security, ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, port);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT_MS);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, TIMEOUT_MS * 2);
    p.remove(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      return producer.send(new ProducerRecord<>(topic, "access-attempt".getBytes())).get(TIMEOUT_MS * 3L, TimeUnit.MILLISECONDS);
    }
  }

  private static Object describeCluster(String bootstrapKey, String port, Properties security) throws Exception {
    try (Admin admin = Admin.create(kafka(security, bootstrapKey, port))) {
      return admin.describeCluster().nodes().get(TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
    }
  }

  /** Trusts any server (the refusal, if any, is the server's) and presents the stack's key if it could be read. */
  private static SSLContext tls(Properties security) throws Exception {
    KeyManager[] keys = null;
    String location = security.getProperty("ssl.keystore.location");
    if (location != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(Path.of(location))) {
        ks.load(in, security.getProperty("ssl.keystore.password").toCharArray());
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, security.getProperty("ssl.key.password").toCharArray());
      keys = kmf.getKeyManagers();
    }
    TrustManager trustAll = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keys, new TrustManager[] {trustAll}, null);
    return ctx;
  }

  /**
   * A full handshake, then a read: a server that refuses the client's certificate says so with an
   * alert (in TLS 1.3 after the client's side of the handshake is done) or closes; one that accepts
   * waits for a request, and the read times out.
   */
  private static Object tlsHandshake(String port, Properties security) throws Exception {
    try (SSLSocket s = (SSLSocket) tls(security).getSocketFactory().createSocket()) {
      s.connect(new InetSocketAddress(HOST, Integer.parseInt(port)), TIMEOUT_MS);
      s.setSoTimeout(1_500);
      s.startHandshake();
      try {
        if (s.getInputStream().read() == -1) {
          throw new IOException("closed by the server after the handshake");
        }
      } catch (SocketTimeoutException accepted) {
        // waiting for our request
      }
      return s.getSession().getProtocol();
    }
  }

  private static Object httpsGet(String port, Properties security) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(tls(security)).connectTimeout(Duration.ofMillis(TIMEOUT_MS)).build();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://" + HOST + ":" + port + "/overview"))
        .timeout(Duration.ofMillis(TIMEOUT_MS)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode());
    }
    return r.body();
  }

  private static Object bearerGet(String port, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path)).timeout(Duration.ofMillis(TIMEOUT_MS));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode());
    }
    return r.body();
  }
}

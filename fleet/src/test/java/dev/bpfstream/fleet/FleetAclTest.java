package dev.bpfstream.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.jobs.fleet.TopicsCommand;
import dev.bpfstream.schema.Topic;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A secured cluster broker (SCRAM users per role, StandardAuthorizer, as {@code cluster up --secure}
 * makes) given its ACLs by {@code topics create}: each role reads and writes what its ACLs grant,
 * and is refused by the broker everything else; a client without credentials gets nowhere.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FleetAclTest {
  @TempDir
  Path data;

  @Test
  void eachRoleGetsWhatTopicsCreateGrantedItAndIsRefusedTheRest() throws Exception {
    ClusterLayout layout = new ClusterLayout(data, Path.of("target/lib").toAbsolutePath(), 1, 0, 0, 0, 0, 0, 0, 1,
        "256m", "256m", "320m").withFreePorts();
    ClusterCredentials credentials = ClusterCredentials.create(layout);
    NodeLogging.write(layout);
    NodeProcess broker = KafkaNodes.start(layout, 1, KafkaNodes.prepare(layout, 1, KafkaNodes.clusterId(layout)));
    try {
      awaitBroker(layout, credentials);
      StringWriter out = new StringWriter();
      int code = new CommandLine(new TopicsCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(out)).execute("create",
          "--kafka-config", credentials.roleFile("admin").toString(), "--partitions", "1", "--replication-factor", "1");
      assertThat(code).as("topics create said: %s", out).isZero();
      assertThat(out.toString()).contains("acls: User:collector writes events");

      Map<String, String> collector = client(layout, credentials, "collector");
      Map<String, String> jobs = client(layout, credentials, "jobs");
      Map<String, String> viewer = client(layout, credentials, "viewer");
      assertThat(produce(collector, Topic.EXEC)).isEqualTo("ok");
      assertThat(produce(collector, Topic.HEALTH)).isEqualTo("ok");
      assertThat(produce(collector, Topic.ALERTS)).startsWith("TopicAuthorizationException");
      assertThat(produce(collector, Topic.WORKLOAD)).startsWith("TopicAuthorizationException");
      assertThat(consume(collector, Topic.WORKLOAD)).startsWith("TopicAuthorizationException");
      assertThat(consume(collector, Topic.EXEC)).startsWith("TopicAuthorizationException");

      assertThat(consume(jobs, Topic.EXEC)).isEqualTo("1 records");
      assertThat(produce(jobs, Topic.WORKLOAD)).isEqualTo("ok");
      assertThat(produce(jobs, Topic.ALERTS)).isEqualTo("ok");
      assertThat(produce(jobs, Topic.EXEC)).startsWith("TopicAuthorizationException");

      assertThat(consume(viewer, Topic.ALERTS)).isEqualTo("1 records");
      assertThat(consume(viewer, Topic.WORKLOAD)).isEqualTo("1 records");
      assertThat(consume(viewer, Topic.HEALTH)).isEqualTo("1 records");
      assertThat(consume(viewer, Topic.SHELL)).startsWith("TopicAuthorizationException");
      assertThat(consume(viewer, Topic.EXEC)).startsWith("TopicAuthorizationException");
      // No WRITE anywhere: the idempotent producer is refused its producer id already.
      assertThat(produce(viewer, Topic.ALERTS)).containsPattern("^(Topic|Cluster)AuthorizationException");

      Map<String, String> guessed = new HashMap<>(viewer);
      guessed.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"admin\";");
      assertThat(consume(guessed, Topic.ALERTS)).startsWith("SaslAuthenticationException");
    } finally {
      broker.stop(Duration.ofSeconds(30));
    }
  }

  private static Map<String, String> client(ClusterLayout layout, ClusterCredentials c, String role) {
    Map<String, String> p = new HashMap<>(c.clientProperties(role));
    p.put("bootstrap.servers", layout.bootstrapServers());
    return p;
  }

  private static void awaitBroker(ClusterLayout layout, ClusterCredentials c) throws Exception {
    Map<String, Object> p = new HashMap<>(client(layout, c, "admin"));
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try (Admin admin = Admin.create(p)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the secured broker did not come up: " + e.getMessage(), e);
          }
        }
        Thread.sleep(250);
      }
    }
  }

  /** "ok", or the simple name and message of what the broker answered. */
  private static String produce(Map<String, String> client, Topic topic) {
    Map<String, Object> p = new HashMap<>(client);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic.topicName(), new byte[] {1})).get(30, TimeUnit.SECONDS);
      return "ok";
    } catch (Exception e) {
      return rootCause(e);
    }
  }

  /** "N records" read from the beginning, or what the broker answered. */
  private static String consume(Map<String, String> client, Topic topic) {
    Map<String, Object> p = new HashMap<>(client);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bpfstream-sql-" + UUID.randomUUID());
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic.topicName(), 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      int records = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        records += consumer.poll(Duration.ofMillis(500)).count();
      }
      return records + " records";
    } catch (Exception e) {
      return rootCause(e);
    }
  }

  private static String rootCause(Exception e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}

package dev.bpfstream.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaClientOptionsTest {
  @TempDir
  Path dir;

  @Command(name = "tool")
  static final class Tool {
    @Mixin
    KafkaClientOptions kafka;
  }

  private KafkaClientOptions parse(String... args) {
    Tool t = new Tool();
    new CommandLine(t).parseArgs(args);
    t.kafka.localStackDir = dir.resolve("no-stack-here");
    return t.kafka;
  }

  @Test
  void withoutOptionsTheClientsGoToTheLocalBroker() {
    KafkaClientOptions k = parse();
    assertThat(k.clientConfig()).containsExactlyEntriesOf(java.util.Map.of("bootstrap.servers", "127.0.0.1:9092"));
    assertThat(k.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(k.topic("bpf.exec")).isEqualTo("bpf.exec");
  }

  @Test
  void eachLayerWinsOverTheOnesBeforeIt() throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "bootstrap.servers=kafka1:9093\nsecurity.protocol=SSL\nclient.id=from-file\nlinger.ms=5\n");
    assertThat(parse("--kafka-config", file.toString()).clientProperties())
        .containsEntry("bootstrap.servers", "kafka1:9093").containsEntry("security.protocol", "SSL");
    KafkaClientOptions k = parse("--kafka-config", file.toString(), "-X", "client.id=from-x", "--kafka-property", "bootstrap.servers=kafka2:9093",
        "--topic-prefix", "prod.");
    assertThat(k.clientConfig()).containsEntry("client.id", "from-x").containsEntry("bootstrap.servers", "kafka2:9093")
        .containsEntry("linger.ms", "5");
    assertThat(k.topic("alerts")).isEqualTo("prod.alerts");
    assertThat(parse("-X", "bootstrap.servers=kafka2:9093", "--bootstrap", "kafka3:9093").bootstrapServers()).isEqualTo("kafka3:9093");
  }

  @Test
  void aCommandGivenNoSecuritySettingsFindsTheLocalStacksCredentialsForItsBroker() throws Exception {
    Path stack = Files.createDirectories(dir.resolve("stack"));
    Files.writeString(stack.resolve(LocalStack.CLIENT_FILE), "bootstrap.servers=127.0.0.1:19092\n"
        + "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n"
        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"bpfstream\" password=\"p\";\n");
    KafkaClientOptions local = parse("--bootstrap-servers", "localhost:19092");
    local.localStackDir = stack;
    assertThat(local.clientConfig()).containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("bootstrap.servers", "localhost:19092");

    // Security settings of its own: none of the stack's are mixed in.
    KafkaClientOptions own = parse("--bootstrap-servers", "127.0.0.1:19092", "-X", "security.protocol=SSL");
    own.localStackDir = stack;
    assertThat(own.clientConfig()).containsEntry("security.protocol", "SSL").doesNotContainKey("sasl.mechanism");
    // Another broker (another host's, or a test's on this one) never gets the local stack's credentials.
    for (String other : new String[] {"127.0.0.1:19092,kafka1:9092", "127.0.0.1:9092"}) {
      KafkaClientOptions remote = parse("--bootstrap-servers", other);
      remote.localStackDir = stack;
      assertThat(remote.clientConfig()).as(other).doesNotContainKey("security.protocol");
    }
  }

  @Test
  void badValuesAreRefusedInOneLine() {
    assertThatThrownBy(() -> parse("--bootstrap-servers", " ").clientConfig())
        .hasMessage("--bootstrap-servers is empty: give HOST:PORT[,HOST:PORT...], e.g. 127.0.0.1:9092");
    assertThatThrownBy(() -> parse("--kafka-config", dir.resolve("missing").toString()).clientConfig())
        .hasMessageStartingWith("--kafka-config " + dir.resolve("missing") + ": cannot read (");
    assertThatThrownBy(() -> parse("-X", "linger.ms")).isInstanceOf(CommandLine.ParameterException.class);
  }
}

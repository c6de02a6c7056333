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

  private static KafkaClientOptions parse(String... args) {
    Tool t = new Tool();
    new CommandLine(t).parseArgs(args);
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
  void badValuesAreRefusedInOneLine() {
    assertThatThrownBy(() -> parse("--bootstrap-servers", " ").clientConfig())
        .hasMessage("--bootstrap-servers is empty: give HOST:PORT[,HOST:PORT...], e.g. 127.0.0.1:9092");
    assertThatThrownBy(() -> parse("--kafka-config", dir.resolve("missing").toString()).clientConfig())
        .hasMessageStartingWith("--kafka-config " + dir.resolve("missing") + ": cannot read (");
    assertThatThrownBy(() -> parse("-X", "linger.ms")).isInstanceOf(CommandLine.ParameterException.class);
  }
}

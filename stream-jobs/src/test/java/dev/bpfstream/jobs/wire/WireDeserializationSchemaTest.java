package dev.bpfstream.jobs.wire;

import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.Namespaces;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.TaskContext;
import dev.bpfstream.jobs.testing.FlinkCluster;
import dev.bpfstream.schema.WireCodec;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WireDeserializationSchemaTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.withSlots(2);

  @Test
  void aFlinkJobReadsWireRecordsFromKafkaAndSkipsAnUnreadableOne(TestBroker broker) throws Exception {
    String topic = "bpf.exec-flink-" + UUID.randomUUID();
    List<ProcessExec> sent = new ArrayList<>();
    WireCodec<ProcessExec> codec = WireCodec.of(ProcessExec.class);
    Map<String, Object> props = new HashMap<>(broker.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 10; i++) {
        ProcessExec e = exec(i);
        sent.add(e);
        producer.send(new ProducerRecord<>(topic, "host-a", codec.encode(e)));
        if (i == 4) {
          producer.send(new ProducerRecord<>(topic, "host-a", new byte[] {0x00, 0x01, 0x02}));
        }
      }
      producer.flush();
    }

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    KafkaSource<ProcessExec> source = KafkaSource.<ProcessExec>builder()
        .setBootstrapServers(broker.bootstrapServers())
        .setTopics(topic)
        .setGroupId("flink-wire-test")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setBounded(OffsetsInitializer.latest())
        .setValueOnlyDeserializer(new WireDeserializationSchema<>(ProcessExec.class))
        .build();
    List<ProcessExec> got = new ArrayList<>();
    try (CloseableIterator<ProcessExec> it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "exec").executeAndCollect()) {
      it.forEachRemaining(got::add);
    }
    assertThat(got).containsExactlyElementsOf(sent);
  }

  static ProcessExec exec(int i) {
    Namespaces ns = new Namespaces(4026531840L, 4026531838L, 4026531839L, 4026531836L, 4026531833L, 4026531837L, 4026531835L, 4026531834L);
    TaskContext ctx = TaskContext.newBuilder()
        .setHostId("host-a").setHostname("a").setTimeNs(1_700_000_000_000_000_000L + i).setCpu(0)
        .setPid(1000 + i).setTid(1000 + i).setPpid(1).setUid(0).setGid(0).setComm("true")
        .setCgroupId(1).setNs(ns).setSeq(i).build();
    return ProcessExec.newBuilder().setCtx(ctx).setFilename("/bin/true").setArgv(List.of("true", "arg" + i)).build();
  }
}

package dev.bpfstream.jobs.sink;

import java.util.Map;
import java.util.Properties;

import dev.bpfstream.event.DeadLetter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Transactional Kafka sinks: records become visible to read_committed consumers when the
 * checkpoint that covers them completes, so a restored job writes every record exactly once.
 */
public final class KafkaOutputs {
  /**
   * Kafka brokers refuse transactions longer than {@code transaction.max.timeout.ms} (15 min by
   * default); KafkaSink's 1 h default would make the job fail and restart forever.
   */
  public static final long TRANSACTION_TIMEOUT_MS = 10 * 60 * 1000L;

  private final String bootstrapServers;
  private final Map<String, String> clientProperties;
  private final DeliveryGuarantee guarantee;

  public KafkaOutputs(String bootstrapServers, Map<String, String> clientProperties, DeliveryGuarantee guarantee) {
    this.bootstrapServers = bootstrapServers;
    this.clientProperties = clientProperties;
    this.guarantee = guarantee;
  }

  public <T extends SpecificRecord> KafkaSink<T> sink(String topic, Class<T> type, RecordKey<T> key, String transactionalIdPrefix) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(TRANSACTION_TIMEOUT_MS));
    p.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrapServers)
        .setKafkaProducerConfig(p)
        .setDeliveryGuarantee(guarantee)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        .setRecordSerializer(new WireRecordSerializer<>(topic, type, key))
        .build();
  }

  public KafkaSink<DeadLetter> deadLetters(String topic, String transactionalIdPrefix) {
    return sink(topic, DeadLetter.class, d -> d.getSourceTopic(), transactionalIdPrefix);
  }
}

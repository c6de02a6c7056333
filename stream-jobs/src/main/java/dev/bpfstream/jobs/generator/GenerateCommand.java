package dev.bpfstream.jobs.generator;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.bpfstream.options.DurationConverter;
import dev.bpfstream.options.KafkaClientOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate}: plays a synthetic fleet into Kafka. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Play N synthetic hosts into Kafka at a target rate (events with known distributions, "
        + "kernel histograms and collector health once per interval).")
public final class GenerateCommand implements Callable<Integer> {
  @Mixin
  KafkaClientOptions kafka;

  @Option(names = "--hosts", defaultValue = "10")
  int hosts;

  @Option(names = "--containers-per-host", defaultValue = "4")
  int containers;

  @Option(names = "--rate", defaultValue = "100000", description = "Per-task events per second of event time (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--events", defaultValue = "1000000", description = "How many per-task events (default ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--mix", defaultValue = "ALL", description = "ALL, LATENCY, WORKLOAD or TASK_EVENTS (default ${DEFAULT-VALUE}).")
  Mix mix;

  @Option(names = "--live", description = "Event time is now and sending is paced to --rate (for latency runs).")
  boolean live;

  @Option(names = "--start", description = "Event time of the first event when not live (ISO instant; default: so the last event is now).")
  Instant start;

  @Option(names = "--interval", defaultValue = "1s", converter = DurationConverter.class,
      description = "How often each host sends its kernel histograms and health (default ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--lost-per-interval", defaultValue = "0", description = "Events each host reports lost per interval.")
  long lostPerInterval;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Override
  public Integer call() {
    FleetProfile profile = FleetProfile.standard().withContainers(containers).withLostPerInterval(lostPerInterval);
    long startNs = start != null ? start.toEpochMilli() * 1_000_000L
        : System.currentTimeMillis() * 1_000_000L - (long) (events / rate * 1e9);
    FleetGenerator g = new FleetGenerator(new FleetGenerator.Settings(hosts, mix, profile, rate, events, live, startNs,
        interval.toNanos(), seed, kafka.topicPrefix()));
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // As the collector: a record counts as sent once every in-sync replica has it, so a broker's death loses none.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.putAll(kafka.clientConfig()); // -X wins over the generator's own batching
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      FleetGenerator.Stats st = g.run(producer);
      System.out.printf("generated %d events (%.0f/s) and %d interval records from %d hosts in %.1f s%n",
          st.events(), st.eventsPerSecond(), st.intervalRecords(), hosts, st.elapsedNs() / 1e9);
      st.perTopic().forEach((t, n) -> System.out.printf("  %-20s %d%n", kafka.topic(t.topicName()), n));
      if (st.failedSends() > 0) {
        System.err.printf("generate: Kafka refused %d records (first: %s)%n", st.failedSends(), st.firstError());
        return 1;
      }
    }
    return 0;
  }
}

package dev.bpfstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import static dev.bpfstream.jobs.testing.Records.SECOND;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.jobs.generator.FleetGenerator;
import dev.bpfstream.jobs.generator.FleetProfile;
import dev.bpfstream.jobs.generator.Mix;
import dev.bpfstream.jobs.sink.KafkaOutputs;
import dev.bpfstream.jobs.source.KafkaInputs;
import dev.bpfstream.jobs.testing.KafkaIO;
import dev.bpfstream.jobs.testing.Records;
import dev.bpfstream.jobs.testing.SourceFault;
import dev.bpfstream.jobs.workload.WorkloadDecoder;
import dev.bpfstream.jobs.workload.WorkloadJob;
import dev.bpfstream.jobs.workload.WorkloadSummarizer;
import dev.bpfstream.schema.Topic;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Runs of the workload job for the fault tests: live fleet, the job with a tapped source, the undisturbed reference run. */
final class WorkloadRuns {
  /** How many of the largest windows after the data the sentinels are: past the fleet's last window, within --max-ahead. */
  static final long SENTINEL_WINDOWS_AHEAD = 60;

  private WorkloadRuns() {
  }

  /** Creates every topic of the prefix first: a topic created later is found only by partition discovery (10 s). */
  static void createTopics(TestBroker broker, JobSettings s) throws Exception {
    try (KafkaIO setup = new KafkaIO(broker)) {
      setup.createTopics(Arrays.stream(Topic.values()).map(s::topic).toList());
    }
  }

  /** A fleet playing live (event time = wall clock) in the background; the future closes its producer. */
  static CompletableFuture<FleetGenerator.Stats> playLive(TestBroker broker, String prefix, Mix mix, int hosts, double rate, long events) {
    return playLive(broker, prefix, mix, hosts, rate, events, new FleetGenerator[1]);
  }

  /** The same; {@code handle[0]} is the generator, to {@link FleetGenerator#stop} it early. */
  static CompletableFuture<FleetGenerator.Stats> playLive(TestBroker broker, String prefix, Mix mix, int hosts, double rate, long events,
                                                          FleetGenerator[] handle) {
    FleetGenerator generator = new FleetGenerator(new FleetGenerator.Settings(hosts, mix,
        FleetProfile.standard().withContainers(2), rate, events, true, 0, SECOND, 7, prefix));
    handle[0] = generator;
    Map<String, Object> pp = new HashMap<>(broker.clientProperties());
    pp.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // See KafkaIO: with more batches in flight, the first one to a partition just created can be lost.
    pp.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer());
    return CompletableFuture.supplyAsync(() -> {
      try (producer) {
        return generator.run(producer);
      }
    });
  }

  /** The workload job from Kafka, its event source's deserializer wrapped in a {@link SourceFault}. */
  static JobClient start(JobSettings s, Configuration extra, String name) throws Exception {
    StreamExecutionEnvironment env = JobEnvironment.create(s, extra);
    WorkloadDecoder decoder = new WorkloadDecoder(s.topicPrefix());
    KafkaInputs in = new KafkaInputs(s);
    KafkaOutputs out = new KafkaOutputs(s.bootstrapServers(), s.kafkaProperties(), s.guarantee());
    new WorkloadJob(s, in.observations(decoder.topics(), new SourceFault<>(decoder)), in.health(),
        out.sink(s.topic(Topic.WORKLOAD), WorkloadSummary.class, WorkloadSummarizer::key, s.transactionalIdPrefix() + "-summaries"),
        out.deadLetters(s.topic(Topic.DEAD_LETTER), s.transactionalIdPrefix() + "-dlq"))
        .build(env);
    return env.executeAsync(name);
  }

  /**
   * Sends one event in the future of the fleet's data to every input of the workload job (one
   * partition each): it moves the watermark past every window of the fleet, with or without
   * idleness. Its time is aligned to the largest window (rollup), so no window holds both; summaries
   * from it on are not the fleet's. It is at most two minutes ahead of the clock (60 windows of up
   * to 2 s): the jobs dead-letter events more than --max-ahead (5 min) ahead.
   */
  static long sendSentinels(KafkaIO io, JobSettings s, long largestWindowNs) {
    long lastNs = System.currentTimeMillis() * 1_000_000L;
    long ns = (lastNs / largestWindowNs + SENTINEL_WINDOWS_AHEAD) * largestWindowNs;
    assertThat(new WorkloadDecoder("").topics()).as("inputs that need a sentinel")
        .containsExactlyInAnyOrder(Topic.EXEC, Topic.EXIT, Topic.OPEN, Topic.FILE_SLOW, Topic.BLOCK_IO, Topic.TCP, Topic.PROFILE);
    String host = "zz-sentinel";
    io.send(s.topic(Topic.EXEC), host, Records.exec(host, ns, 1, "true", 0, null));
    io.send(s.topic(Topic.EXIT), host, Records.exit(host, ns, 1, "true", 1_000));
    io.send(s.topic(Topic.OPEN), host, Records.open(host, ns, 1, "true", 0, 0));
    io.send(s.topic(Topic.FILE_SLOW), host, Records.fileSlow(host, ns, 1, "true", 20_000_000L));
    io.send(s.topic(Topic.BLOCK_IO), host, Records.blockIo(host, ns, 1, "true", "nvme0n1", BlockOp.READ, 4096));
    io.send(s.topic(Topic.TCP), host, Records.tcp(host, ns, 1, "true", TcpEventType.CONNECT, "10.9.9.9"));
    io.send(s.topic(Topic.PROFILE), host, Records.profile(host, ns, ns + 1, 1, "true", 1, "true;main"));
    io.send(s.topic(Topic.HEALTH), host, Records.health(host, ns, ns - 1_000_000_000L, 0));
    io.flush();
    return ns;
  }

  /** The same job reading the same input as one bounded run that nothing disturbs, to a topic of its own. */
  static List<WorkloadSummary> undisturbed(KafkaIO io, JobSettings base, long sentinelNs) throws Exception {
    String prefix = base.topicPrefix();
    JobSettings s = base.withPrefixAndGroup(prefix, "g0-" + prefix, "tx0-" + prefix).withBounded(true);
    String topic = prefix + "undisturbed." + Topic.WORKLOAD.topicName();
    KafkaInputs in = new KafkaInputs(s);
    KafkaOutputs out = new KafkaOutputs(s.bootstrapServers(), Map.of(), s.guarantee());
    StreamExecutionEnvironment env = JobEnvironment.create(s, new Configuration());
    new WorkloadJob(s, in.observations(new WorkloadDecoder(prefix)), in.health(),
        out.sink(topic, WorkloadSummary.class, WorkloadSummarizer::key, "tx0-" + prefix + "-summaries"),
        out.deadLetters(prefix + "undisturbed." + Topic.DEAD_LETTER.topicName(), "tx0-" + prefix + "-dlq"))
        .build(env);
    env.execute("undisturbed");
    return io.readCommitted(topic, WorkloadSummary.class, l -> false, Duration.ofSeconds(5)).stream()
        .filter(w -> w.getWindowStartNs() < sentinelNs).toList();
  }

  /** What makes a summary unique on the output topic: its Kafka key and window. */
  static String identity(WorkloadSummary s) {
    return WorkloadSummarizer.key(s) + "@" + s.getWindowStartNs() + "+" + s.getWindowSizeNs();
  }
}

package dev.bpfstream.collector.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.bpfstream.collector.bench.CollectorBenchmark;
import dev.bpfstream.collector.probe.ProbeSettings;
import dev.bpfstream.options.KafkaClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Benchmarks of the collector's hot paths; BENCHMARKS.md holds the commands and figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure the ring reader (reader), read+decode+encode (null) or all of it into Kafka (kafka).")
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--mode", defaultValue = "null", description = "reader, null or kafka (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--events", defaultValue = "2000000", description = "Events to generate (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--rate", defaultValue = "0", description = "Target events/s, 0 for as fast as the load goes.")
  long rate;

  @Option(names = "--rounds", defaultValue = "3", description = "Repeat and print each round (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--ring-bytes", defaultValue = "16M", converter = ByteSizes.class)
  int ringBytes;

  @Option(names = "--reader", defaultValue = "ringbuf", description = "ringbuf or perfbuf.")
  String reader;

  @Mixin
  KafkaClientOptions kafkaOptions; // mode kafka writes to <topic-prefix>bench.<topic>

  @Override
  public Integer call() throws Exception {
    ProbeSettings s = ProbeSettings.ring(ringBytes, reader.equals("perfbuf"));
    Map<String, Object> kafka = new HashMap<>(kafkaOptions.clientConfig());
    for (int i = 1; i <= rounds; i++) {
      System.out.println("round " + i + ": " + CollectorBenchmark.run(mode, events, rate, s, kafka,
          kafkaOptions.topic("bench.")));
    }
    return 0;
  }
}

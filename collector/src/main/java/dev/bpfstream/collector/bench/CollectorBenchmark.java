package dev.bpfstream.collector.bench;

import java.util.Map;

import dev.bpfstream.collector.bpf.Tracefs;
import dev.bpfstream.collector.enrich.BootClock;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.collector.enrich.Redactor;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.health.ProcessResources;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.KernelStats;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.ProbeSettings;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.collector.probes.BenchProbe;
import dev.bpfstream.collector.sink.EventSink;
import dev.bpfstream.collector.sink.KafkaEventSink;
import dev.bpfstream.collector.sink.NullSink;

/**
 * Drives the synthetic bench probe with a getppid() load and measures the collector:
 * <ul>
 *   <li>reader: ring to a handler that only touches each record (the reader's own cost);</li>
 *   <li>null: read, decode, enrich and encode each record in the wire format, then drop it;</li>
 *   <li>kafka: the same, produced to a broker and acknowledged.</li>
 * </ul>
 */
public final class CollectorBenchmark {

  public record Result(String mode, long events, long attempted, long delivered, long lost, long produced,
                       double seconds, long readerCpuNs, long processCpuNs, long rssBytes) {

    public double eventsPerSecond() {
      return delivered / seconds;
    }

    public double readerNsPerEvent() {
      return delivered == 0 ? 0 : (double) readerCpuNs / delivered;
    }

    public double processNsPerEvent() {
      return delivered == 0 ? 0 : (double) processCpuNs / delivered;
    }

    @Override
    public String toString() {
      return String.format("mode=%s events=%d attempted=%d delivered=%d lost=%d produced=%d seconds=%.2f "
              + "rate=%.0f ev/s reader_cpu=%.1f ns/ev process_cpu=%.1f ns/ev rss=%d MB",
          mode, events, attempted, delivered, lost, produced, seconds, eventsPerSecond(), readerNsPerEvent(),
          processNsPerEvent(), rssBytes >> 20);
    }
  }

  private CollectorBenchmark() {
  }

  /**
   * @param mode      "reader", "null" or "kafka"
   * @param events    getppid() calls the load makes
   * @param perSecond target load rate, 0 for as fast as it goes
   * @param kafka     producer properties for mode "kafka"
   * @param topicPrefix prefix of the topics mode "kafka" writes
   */
  public static Result run(String mode, long events, long perSecond, ProbeSettings settings, Map<String, Object> kafka,
                           String topicPrefix) throws Exception {
    Tracefs.ensureMounted();
    EventSink sink = switch (mode) {
      case "reader", "null" -> new NullSink();
      case "kafka" -> new KafkaEventSink(kafka, "bench-host", topicPrefix);
      default -> throw new IllegalArgumentException("mode must be reader, null or kafka, not " + mode);
    };
    ProbeCounters counters = new ProbeCounters("bench");
    try (GetppidLoad load = GetppidLoad.start(events, perSecond)) {
      DecodeContext ctx = new DecodeContext(new TaskContextReader(HostIdentity.detect("bench-host"), new BootClock(), cg -> null),
          sink, counters, Redactor.defaults(), null);
      LoadedProbe probe = LoadedProbe.start(new BenchProbe((int) load.pid(), !mode.equals("reader")), settings, ProbeOptions.none(), ctx);
      long cpu0 = ProcessResources.cpuNs(ProcessHandle.current().pid());
      long t0 = System.nanoTime();
      load.go();
      load.await(600);
      // Let the reader catch up with what is in the ring, then stop.
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (counters.delivered.sum() < probe.kernelStats().attempted() - probe.kernelStats().lost()
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      sink.flush();
      long t1 = System.nanoTime();
      long readerCpu = probe.reader().cpuTimeNs();
      long cpu1 = ProcessResources.cpuNs(ProcessHandle.current().pid());
      long rss = ProcessResources.rssBytes();
      probe.close();
      KernelStats k = probe.kernelStats();
      return new Result(mode, events, k.attempted(), counters.delivered.sum(), k.lost(), counters.produced.sum(),
          (t1 - t0) / 1e9, readerCpu, cpu1 - cpu0, rss);
    } finally {
      sink.close();
    }
  }
}

package dev.bpfstream.collector.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.collector.KafkaTopics;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.bpf.Tracefs;
import dev.bpfstream.collector.testing.CProgram;
import dev.bpfstream.collector.testing.CollectorProcess;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.ProbeHealth;
import dev.bpfstream.schema.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An open() storm from every CPU, far beyond what the collector carries, against a collector in a
 * child JVM with a small fixed heap producing to the real broker. Unlimited, with the broker also
 * throttling the collector's producer (a client quota) so Kafka falls behind too, the ring
 * overflows and the losses are counted while what waits for Kafka stays bounded; with
 * `open.max-rate=1000` the kernel drops the excess before the ring and the delivered count stays
 * near the limit. Either way the JVM stays alive and within its heap and its last health report
 * closes: attempted == delivered + lostKernel + rateLimited.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CollectorOverloadTest {
  static final int HEAP_MB = 128;
  static final Pattern GC_PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  @TempDir
  Path dir;

  @BeforeAll
  static void prerequisites() {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    Prerequisites.require(CProgram.missingCompiler());
    Tracefs.ensureMounted();
  }

  record Run(String label, long stormOpens, double stormSeconds, ProbeHealth open, double runSeconds,
             long heapPeakSampled, long heapAfterGcPeak, long heapBeforeGcPeak, int gcPauses) {
    String figures() {
      return String.format("%s: storm %d opens in %.1f s (%.0f/s traced); attempted=%d (%.0f/s over the run) delivered=%d "
              + "lostKernel=%d rateLimited=%d produced=%d spooled=%d dropped=%d; heap sampled peak %d MiB, "
              + "before-GC peak %d MiB, after-GC peak %d MiB of %d MiB (%d GCs); run %.1f s",
          label, stormOpens, stormSeconds, stormOpens / stormSeconds, open.getAttempted(), open.getAttempted() / runSeconds,
          open.getDelivered(), open.getLostKernel(), open.getRateLimited(), open.getProduced(), open.getSpooled(),
          open.getDropped(), heapPeakSampled >> 20, heapBeforeGcPeak, heapAfterGcPeak, HEAP_MB, gcPauses, runSeconds);
    }
  }

  @Test
  void aStormBeyondTheCollectorIsDroppedAndCountedWithinAFixedHeapAndTheRateLimitBoundsWhatIsDelivered(TestBroker broker)
      throws Exception {
    Path storm = CProgram.compile(dir, "openstorm",
        Files.readString(Path.of("bench/workloads/openstorm.c")), "-O2", "-pthread");
    String missing = ""; // open("") fails at once (ENOENT): the most opens a thread can make

    // The storm on one CPU leaves the other to the collector, whose reader then outruns the
    // throttled broker: what waits for Kafka must stay bounded (the in-flight budget).
    // A 64 KiB ring (about 600 records) overflows within milliseconds of any reader stall, however
    // slowly a loaded machine runs the storm.
    Run unlimited = run(broker, storm, missing, "unlimited, one CPU, 64 KiB ring, Kafka throttled to 64 KiB/s", 1, 6,
        List.of("--ring-bytes", "64K"), 64 * 1024.0);
    System.out.println("overload " + unlimited.figures());
    ProbeHealth u = unlimited.open();
    assertThat(u.getLostKernel()).as("the storm overruns the ring: dropped and counted kernel-side").isPositive();
    assertThat(u.getRateLimited()).isZero();
    assertThat(u.getAttempted()).isEqualTo(u.getDelivered() + u.getLostKernel() + u.getRateLimited());

    long maxRate = 1000;
    Run limited = run(broker, storm, missing, "max-rate=1000, every CPU", 0, 6, List.of("--probe-option", "open.max-rate=" + maxRate), null);
    System.out.println("overload " + limited.figures());
    ProbeHealth l = limited.open();
    assertThat(l.getRateLimited()).as("the limit drops the storm's excess before the ring").isPositive();
    assertThat(l.getAttempted()).isEqualTo(l.getDelivered() + l.getLostKernel() + l.getRateLimited());
    // A bound on counts, with the collector's own run time from its health report: the burst
    // (one second's worth by default) plus the rate over the run, with a generous margin; and at
    // least a quarter of the rate over the storm, which kept every CPU's bucket busy.
    assertThat(l.getDelivered()).isLessThanOrEqualTo((long) (maxRate + maxRate * limited.runSeconds() * 1.5))
        .isGreaterThanOrEqualTo((long) (maxRate * limited.stormSeconds() / 4));
    assertThat(l.getLostKernel()).as("nothing reaches the ring to overflow it").isZero();
  }

  /** @param throttle the broker's quota on the collector's producer while the storm lasts, bytes/s; null: none */
  private Run run(TestBroker broker, Path storm, String path, String label, int threads, int stormSeconds,
                  List<String> extra, Double throttle) throws Exception {
    String host = "overload-" + UUID.randomUUID().toString().substring(0, 8);
    String prefix = host + ".";
    Path gcLog = dir.resolve(host + "-gc.log");
    Path kafkaConfig = dir.resolve(host + "-kafka.properties");
    Files.writeString(kafkaConfig, "client.id=" + host + "\n");
    if (throttle != null) {
      quota(broker, host, throttle);
    }
    List<String> args = new ArrayList<>(List.of("--bootstrap-servers", broker.bootstrapServers(), "--probes", "open",
        "--kafka-config", kafkaConfig.toString(),
        "--host-id", host, "--topic-prefix", prefix, "--interval", "1s", "--no-host-metrics",
        "--spool-dir", dir.resolve(host + "-spool").toString(), "--spool-max-bytes", "64M"));
    args.addAll(extra);
    long heapPeak = 0;
    long stormOpens;
    double stormTook;
    try (CollectorProcess collector = CollectorProcess.start(dir.resolve(host + ".log"),
        List.of("-Xms" + HEAP_MB + "m", "-Xmx" + HEAP_MB + "m", "-XX:+UseSerialGC", "-Xlog:gc:file=" + gcLog), args)) {
      collector.awaitStarted(Duration.ofSeconds(60));
      List<String> stormCommand = new ArrayList<>(List.of(storm.toString(), Integer.toString(stormSeconds), path));
      if (threads > 0) {
        stormCommand.add(Integer.toString(threads));
      }
      Process load = new ProcessBuilder(stormCommand).redirectErrorStream(true).start();
      int answered = 0;
      while (load.isAlive()) {
        Thread.sleep(500);
        Map<String, Double> m = collector.metrics();
        if (!m.isEmpty()) {
          answered++;
          heapPeak = Math.max(heapPeak, m.getOrDefault("bpfstream_jvm_heap_used_bytes", 0.0).longValue());
        }
        assertThat(collector.isAlive()).as("the collector survives the storm:\n" + collector.output()).isTrue();
      }
      String out = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(load.waitFor(30, TimeUnit.SECONDS)).isTrue();
      Matcher m = Pattern.compile("(\\d+) opens in ([\\d.]+) s").matcher(out);
      assertThat(m.find()).as(out).isTrue();
      stormOpens = Long.parseLong(m.group(1));
      stormTook = Double.parseDouble(m.group(2));
      assertThat(answered).as("the metrics endpoint answered during the storm").isPositive();
      if (throttle != null) {
        quota(broker, host, null);
      }
      // Let Kafka take what waits (in flight or spooled), so the last report goes straight to Kafka.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        Map<String, Double> now = collector.metrics();
        heapPeak = Math.max(heapPeak, now.getOrDefault("bpfstream_jvm_heap_used_bytes", 0.0).longValue());
        double delivered = now.getOrDefault("bpfstream_probe_delivered_total{open}", -1.0);
        double settled = now.getOrDefault("bpfstream_probe_produced_total{open}", 0.0)
            + now.getOrDefault("bpfstream_probe_dropped_total{open}", 0.0);
        if (delivered >= 0 && delivered == settled) {
          break;
        }
        Thread.sleep(500);
      }
      try {
        collector.stop(Duration.ofSeconds(60)); // detach, drain, last health report
      } catch (AssertionError e) {
        List<String> gc = Files.readAllLines(gcLog);
        throw new AssertionError(e.getMessage() + "\nGC log ends:\n" + String.join("\n", gc.subList(Math.max(0, gc.size() - 15), gc.size())));
      }
      String output = collector.output();
      assertThat(output).doesNotContain("OutOfMemoryError");
    }

    List<CollectorHealth> health = KafkaTopics.readAll(broker, prefix + Topic.HEALTH.topicName(), CollectorHealth.class);
    assertThat(health).isNotEmpty();
    CollectorHealth last = health.get(health.size() - 1);
    ProbeHealth open = last.getProbes().stream().filter(p -> p.getProbe().equals("open")).findFirst().orElseThrow();

    long afterPeak = 0;
    long beforePeak = 0;
    int pauses = 0;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher g = GC_PAUSE.matcher(line);
      if (line.contains("Pause") && g.find()) {
        pauses++;
        beforePeak = Math.max(beforePeak, Long.parseLong(g.group(1)));
        afterPeak = Math.max(afterPeak, Long.parseLong(g.group(2)));
      }
    }
    assertThat(String.join("\n", Files.readAllLines(gcLog))).doesNotContain("OutOfMemory");
    // What survives a collection (the live set) stays well inside the fixed heap (before the
    // in-flight budget and the heap-sized producer buffer it reached 67-108 MiB of 128 here).
    assertThat(afterPeak).as("heap after GC, MiB").isLessThanOrEqualTo(HEAP_MB * 3 / 4);
    double runSeconds = (last.getTimeNs() - last.getStartedNs()) / 1e9;
    return new Run(label, stormOpens, stormTook, open, runSeconds, heapPeak, afterPeak, beforePeak, pauses);
  }

  /** Sets (or with null removes) the broker's producer byte-rate quota for one client id. */
  private static void quota(TestBroker broker, String clientId, Double bytesPerSecond) throws Exception {
    try (Admin admin = Admin.create(broker.clientProperties())) {
      ClientQuotaEntity who = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
      admin.alterClientQuotas(List.of(new ClientQuotaAlteration(who,
          List.of(new ClientQuotaAlteration.Op("producer_byte_rate", bytesPerSecond))))).all().get(30, TimeUnit.SECONDS);
    }
  }
}

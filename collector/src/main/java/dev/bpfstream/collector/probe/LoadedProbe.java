package dev.bpfstream.collector.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.bpfstream.collector.bpf.BpfException;
import dev.bpfstream.collector.bpf.BpfMap;
import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.ring.BpfRingSource;
import dev.bpfstream.collector.ring.PerfRingSource;
import dev.bpfstream.collector.ring.RecordHandler;
import dev.bpfstream.collector.ring.RingReader;
import dev.bpfstream.collector.ring.RingSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A probe in the kernel: its object loaded and attached, its ring read by its own thread. */
public final class LoadedProbe implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LoadedProbe.class);
  static final String RESOURCE_DIR = "/dev/bpfstream/collector/bpf/";

  private final Probe probe;
  private final BpfObject object;
  private final DecodeContext context;
  private final RingReader reader;
  private final BpfMap stats;
  private volatile KernelStats finalStats;

  private LoadedProbe(Probe probe, BpfObject object, DecodeContext context, RingReader reader, BpfMap stats) {
    this.probe = probe;
    this.object = object;
    this.context = context;
    this.reader = reader;
    this.stats = stats;
  }

  /**
   * Opens {@code probe}'s object, configures it from its options and the ring settings, loads and
   * attaches it, then starts reading its ring into {@code context}.
   */
  public static LoadedProbe start(Probe probe, ProbeSettings settings, ProbeOptions options, DecodeContext context) {
    ProbeSettings s = settings.forProbe(probe);
    BpfObject object = BpfObject.open(probe.name(), objectBytes(probe));
    try {
      object.writeConfig(probe.config(s, options));
      object.setMaxEntries("events", s.usePerfBuffer() || !probe.emitsRingRecords() ? pageSize() : s.ringBytes());
      probe.prepare(object, options);
      object.load();
      RingSource source = s.usePerfBuffer()
          ? new PerfRingSource(object.map("perf_events"), s.perfPagesPerCpu(), s.wakeupBytes())
          : new BpfRingSource(object.map("events"));
      RecordDecoder decoder = probe.decoder(context);
      RecordHandler handler = guarded(decoder, context.counters());
      RingReader reader = new RingReader(probe.name(), source, handler, s.pollTimeoutMs()).start();
      try {
        probe.attach(object);
      } catch (RuntimeException e) {
        reader.close();
        throw e;
      }
      return new LoadedProbe(probe, object, context, reader, object.map("stats"));
    } catch (RuntimeException e) {
      object.close();
      throw e;
    }
  }

  /**
   * A bad record is counted and skipped; it never stops the reader. Malformed records are logged at
   * most once a minute per probe (with the count so far): a flood of them must not flood the log.
   */
  public static RecordHandler guarded(RecordDecoder decoder, ProbeCounters counters) {
    long[] nextLog = {System.nanoTime()};
    return (ring, offset, length) -> {
      counters.delivered.increment();
      try {
        decoder.decode(ring, offset, length);
      } catch (MalformedRecordException | IndexOutOfBoundsException e) {
        counters.parseErrors.increment();
        long now = System.nanoTime();
        if (now - nextLog[0] >= 0) { // one reader thread per handler: no race
          nextLog[0] = now + MALFORMED_LOG_EVERY_NS;
          log.warn("probe {}: malformed record skipped: {} ({} parse errors so far)", counters.probe(), e.getMessage(),
              counters.parseErrors.sum());
        }
      } catch (RuntimeException e) {
        counters.parseErrors.increment();
        log.warn("probe {}: record skipped: {}", counters.probe(), e.toString());
      }
    };
  }

  private static final long MALFORMED_LOG_EVERY_NS = 60_000_000_000L;

  static byte[] objectBytes(Probe probe) {
    String path = RESOURCE_DIR + probe.objectFile();
    try (InputStream in = LoadedProbe.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new BpfException("probe " + probe.name() + ": " + path + " is not in the jar; rebuild with collector/src/main/bpf/build.sh", 0);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int pageSize() {
    return 4096;
  }

  public Probe probe() {
    return probe;
  }

  public BpfObject object() {
    return object;
  }

  public DecodeContext context() {
    return context;
  }

  public RingReader reader() {
    return reader;
  }

  /** Sums the per-CPU stats map. Call from one thread at a time. */
  public synchronized KernelStats kernelStats() {
    if (finalStats != null) {
      return finalStats;
    }
    byte[] key = new byte[4];
    byte[] value = new byte[stats.valueBytes()];
    if (!stats.lookup(key, value)) {
      return KernelStats.NONE;
    }
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    long attempted = 0;
    long lost = 0;
    long overflow = 0;
    long rateLimited = 0;
    for (int cpu = 0; cpu < stats.possibleCpus(); cpu++) {
      int at = cpu * stats.perCpuStride();
      attempted += b.getLong(at + RecordLayout.STATS_ATTEMPTED);
      lost += b.getLong(at + RecordLayout.STATS_LOST);
      overflow += b.getLong(at + RecordLayout.STATS_OVERFLOW);
      rateLimited += b.getLong(at + RecordLayout.STATS_RATE_LIMITED);
    }
    return new KernelStats(attempted, lost, overflow, rateLimited);
  }

  /** Detaches, drains what is left in the ring and in the probe's maps, then frees the BPF object. */
  @Override
  public void close() {
    if (finalStats != null) {
      return;
    }
    object.detach();
    reader.close();
    try {
      probe.onInterval(this, context); // the last partial interval of kernel-side histograms
    } catch (RuntimeException e) {
      log.warn("probe {}: last drain failed: {}", probe.name(), e.toString());
    }
    finalStats = kernelStats();
    object.close();
  }
}

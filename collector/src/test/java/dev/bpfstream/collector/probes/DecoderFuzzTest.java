package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import dev.bpfstream.collector.RecordingSink;
import dev.bpfstream.collector.enrich.BootClock;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.collector.enrich.Redactor;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.collector.ring.RecordHandler;
import org.junit.jupiter.api.Test;

/** Random and truncated records into every decoder: counted as parse errors, never an escape. */
class DecoderFuzzTest {

  @Test
  void randomRecordsAreCountedNeverThrown() {
    for (Probe probe : List.of(new ExecProbe(), new ExitProbe(), new NamespaceLifecycleProbe(), new BenchProbe(1),
        new OpenProbe(), new FileSlowProbe(), new BlockIoProbe(), new BlockLatencyProbe(), new TcpProbe(), new TcpRetransProbe(),
        new CacheStatProbe())) {
      ProbeCounters counters = new ProbeCounters(probe.name());
      RecordingSink sink = new RecordingSink();
      DecodeContext ctx = new DecodeContext(new TaskContextReader(new HostIdentity("h", "h"), clock(), cg -> null),
          sink, counters, Redactor.defaults(), dev.bpfstream.collector.namespace.NamespaceObserver.NONE);
      RecordHandler handler = LoadedProbe.guarded(probe.decoder(ctx), counters);
      Random r = new Random(probe.name().hashCode());
      ByteBuffer ring = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
      int cases = 5_000;
      for (int i = 0; i < cases; i++) {
        int len = r.nextInt(i % 2 == 0 ? 200 : 4600);
        for (int k = 0; k < len; k++) {
          ring.put(k, (byte) r.nextInt());
        }
        assertThatCode(() -> handler.onRecord(ring, 0, len)).doesNotThrowAnyException();
      }
      assertThat(counters.delivered.sum()).isEqualTo(cases);
      assertThat(counters.parseErrors.sum()).as(probe.name()).isPositive();
      assertThat(counters.parseErrors.sum() + counters.produced.sum()).as(probe.name()).isEqualTo(cases);
    }
  }

  @Test
  void randomRecordsIntoTheRunQueueProfileAndShellDecodersAreCounted() {
    for (Probe probe : List.of(new BashReadlineProbe(), new RunqLatencyProbe(), new RunqLengthProbe(), new ProfileProbe())) {
      ProbeCounters counters = new ProbeCounters(probe.name());
      DecodeContext ctx = new DecodeContext(new TaskContextReader(new HostIdentity("h", "h"), clock(), cg -> null),
          new RecordingSink(), counters, Redactor.defaults(), dev.bpfstream.collector.namespace.NamespaceObserver.NONE);
      RecordHandler handler = LoadedProbe.guarded(probe.decoder(ctx), counters);
      Random r = new Random(probe.name().hashCode());
      ByteBuffer ring = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
      int cases = 2_000;
      for (int i = 0; i < cases; i++) {
        int len = r.nextInt(i % 2 == 0 ? 200 : 800);
        for (int k = 0; k < len; k++) {
          ring.put(k, (byte) r.nextInt());
        }
        if (i % 4 == 0 && len > BashReadlineProbe.LINE) {
          ring.putInt(BashReadlineProbe.LINE_LEN, r.nextInt(len - BashReadlineProbe.LINE)); // some plausible lines
        }
        assertThatCode(() -> handler.onRecord(ring, 0, len)).doesNotThrowAnyException();
      }
      assertThat(counters.delivered.sum()).isEqualTo(cases);
      assertThat(counters.parseErrors.sum()).as(probe.name()).isPositive();
      assertThat(counters.parseErrors.sum() + counters.produced.sum()).as(probe.name()).isEqualTo(cases);
      if (probe instanceof BashReadlineProbe) {
        assertThat(counters.produced.sum()).as("plausible shell records decode").isPositive();
      }
    }
  }

  private static BootClock clock() {
    return new BootClock();
  }
}

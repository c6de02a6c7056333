package dev.bpfstream.collector.probes;

import static dev.bpfstream.collector.probe.RecordLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import dev.bpfstream.collector.enrich.BootClock;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.collector.enrich.Redactor;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.namespace.NamespaceObserver;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.MalformedRecordException;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.RecordDecoder;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.collector.ring.RecordHandler;
import dev.bpfstream.collector.sink.EventSink;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.event.FileOp;
import dev.bpfstream.event.NamespaceSyscall;
import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.fuzz.BoundedCall;
import dev.bpfstream.fuzz.ByteMutation;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.apache.avro.specific.SpecificRecord;

/**
 * Ring records as the kernel writes them, for every probe, then mutated (bits flipped, bytes set,
 * inserted, deleted, the record cut or grown, lengths set to huge varints). Each record sits at the
 * very end of the ring buffer, so a decoder reading past the record's length fails loudly. A record is
 * either decoded into records that survive the wire format, or refused with a one-line
 * {@link MalformedRecordException} that the reader counts as a parse error; nothing else escapes.
 * ({@link DecoderFuzzTest} feeds purely random bytes.)
 */
class RingRecordFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(10));

  /** A probe whose ring records the test can write, valid, from a random source. */
  enum Seed {
    EXEC(ExecProbe::new) {
      @Override
      ByteBuffer record(Random r) {
        byte[] filename = ("/usr/bin/tool" + r.nextInt(100)).getBytes(StandardCharsets.UTF_8);
        byte[] args = String.join("\0", "tool", "--password", "hunter2", "TOKEN=abc" + r.nextInt(), "-x")
            .getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = record(REC_EXEC, ExecProbe.ARGS + args.length, r);
        b.putInt(ExecProbe.RETVAL, 0).putInt(ExecProbe.FILE_MODE, 0100755).putInt(ExecProbe.FILE_UID, 0);
        b.putShort(ExecProbe.FILENAME_LEN, (short) filename.length).putShort(ExecProbe.ARGS_LEN, (short) args.length);
        b.put(ExecProbe.FILENAME, filename).put(ExecProbe.ARGS, args);
        return b;
      }
    },
    EXIT(ExitProbe::new) {
      @Override
      ByteBuffer record(Random r) {
        ByteBuffer b = record(REC_EXIT, ExitProbe.SIZE, r);
        b.putLong(ExitProbe.START_BOOT_NS, 500_000_000L).putInt(ExitProbe.EXIT_CODE, r.nextInt(1 << 16));
        return b;
      }
    },
    NS_CHANGE(NamespaceLifecycleProbe::new) {
      @Override
      ByteBuffer record(Random r) {
        ByteBuffer b = record(REC_NS_CHANGE, NamespaceLifecycleProbe.SIZE, r);
        b.putLong(NamespaceLifecycleProbe.FLAGS, 0x20000000L).putLong(NamespaceLifecycleProbe.RETVAL, 0);
        b.putInt(NamespaceLifecycleProbe.SYSCALL, r.nextInt(NamespaceSyscall.values().length));
        for (int i = 0; i < 8; i++) {
          b.putInt(NamespaceLifecycleProbe.AFTER_NS + 4 * i, r.nextBoolean() ? 0 : (int) (4026531000L + r.nextInt(1000)));
        }
        b.putInt(NamespaceLifecycleProbe.CHILD_PID, r.nextInt(1 << 22));
        return b;
      }
    },
    UTS_NAME(NamespaceLifecycleProbe::new) {
      @Override
      ByteBuffer record(Random r) {
        ByteBuffer b = record(REC_UTS_NAME, NamespaceLifecycleProbe.UTS_SIZE, r);
        b.put(NamespaceLifecycleProbe.NODENAME, ("node-" + r.nextInt(99)).getBytes(StandardCharsets.UTF_8));
        b.put(NamespaceLifecycleProbe.DOMAINNAME, "(none)".getBytes(StandardCharsets.UTF_8));
        return b;
      }
    },
    OPEN(OpenProbe::new) {
      @Override
      ByteBuffer record(Random r) {
        byte[] path = ("/etc/app" + r.nextInt(100) + ".conf").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = record(REC_OPEN, OpenProbe.PATH + path.length, r);
        b.putLong(OpenProbe.RET, r.nextBoolean() ? 3 : -2).putLong(OpenProbe.FLAGS, 0).putInt(OpenProbe.MODE, 0644);
        b.putShort(OpenProbe.SYSCALL, (short) r.nextInt(4)).putShort(OpenProbe.PATH_LEN, (short) path.length);
        b.put(OpenProbe.PATH, path);
        return b;
      }
    },
    FILE_SLOW(FileSlowProbe::new) {
      @Override
      ByteBuffer record(Random r) {
        byte[] path = ("data" + r.nextInt(100) + ".db\0var\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = record(REC_FILE_SLOW, FileSlowProbe.PATH + path.length, r);
        b.putLong(FileSlowProbe.LATENCY, 12_000_000L).putLong(FileSlowProbe.BYTES, 4096).putInt(FileSlowProbe.FD, 5);
        b.putInt(FileSlowProbe.OP, r.nextInt(FileOp.values().length));
        b.put(FileSlowProbe.FS_TYPE, "ext4".getBytes(StandardCharsets.UTF_8));
        b.putShort(FileSlowProbe.PATH_LEN, (short) path.length).put(FileSlowProbe.PATH, path);
        return b;
      }
    },
    BLOCK_IO(BlockIoProbe::new) {
      @Override
      ByteBuffer record(Random r) {
        ByteBuffer b = record(REC_BLOCK_IO, BlockIoProbe.SIZE, r);
        b.putLong(BlockIoProbe.SECTOR, r.nextInt()).putLong(BlockIoProbe.QUEUE_NS, 1000).putLong(BlockIoProbe.SERVICE_NS, 90_000);
        b.putInt(BlockIoProbe.BYTES, 4096).putInt(BlockIoProbe.MAJOR, 8).putInt(BlockIoProbe.MINOR, 0);
        b.putInt(BlockIoProbe.OP, r.nextInt(BlockOp.values().length)).putInt(BlockIoProbe.FLAGS, r.nextInt(32));
        b.put(BlockIoProbe.DISK, "sda".getBytes(StandardCharsets.UTF_8));
        return b;
      }
    },
    TCP(TcpProbe::new) {
      @Override
      ByteBuffer record(Random r) {
        return tcp(r);
      }
    },
    TCP_RETRANS(TcpRetransProbe::new) {
      @Override
      ByteBuffer record(Random r) {
        return tcp(r);
      }
    },
    SHELL(() -> new BashReadlineProbe(Path.of("/nonexistent-proc"))) {
      @Override
      ByteBuffer record(Random r) {
        byte[] line = ("mysql --password secret" + r.nextInt(100) + " -e 'select 1'").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = record(7, BashReadlineProbe.LINE + line.length, r);
        b.putLong(BashReadlineProbe.EXE_INO, 1234).putInt(BashReadlineProbe.EXE_DEV, (8 << 20) | 1);
        b.putInt(BashReadlineProbe.LINE_LEN, line.length).put(BashReadlineProbe.LINE, line);
        return b;
      }
    },
    BENCH(() -> new BenchProbe(1, true)) {
      @Override
      ByteBuffer record(Random r) {
        ByteBuffer b = record(REC_BENCH, BenchProbe.SIZE, r);
        b.putLong(BenchProbe.VALUE, 1 + r.nextInt(1000));
        return b;
      }
    };

    final Supplier<Probe> probe;

    Seed(Supplier<Probe> probe) {
      this.probe = probe;
    }

    abstract ByteBuffer record(Random r);

    static ByteBuffer record(int kind, int length, Random r) {
      ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(HDR_KIND, kind).putInt(HDR_SIZE, length);
      int c = HDR_BYTES;
      b.putLong(c + CTX_BOOT_NS, 1_000_000_000L + r.nextInt(1 << 30)).putLong(c + CTX_SEQ, r.nextInt(1 << 20));
      b.putLong(c + CTX_CGROUP_ID, 1 + r.nextInt(10_000)).putInt(c + CTX_PID, 1 + r.nextInt(1 << 22));
      b.putInt(c + CTX_TID, 1 + r.nextInt(1 << 22)).putInt(c + CTX_PPID, 1).putInt(c + CTX_UID, r.nextInt(2000));
      b.putInt(c + CTX_GID, r.nextInt(2000)).putInt(c + CTX_CPU, r.nextInt(4));
      for (int i = 0; i < 8; i++) {
        b.putInt(c + CTX_NS + 4 * i, (int) (4026531835L + i));
      }
      b.put(c + CTX_COMM, ("comm" + r.nextInt(10)).getBytes(StandardCharsets.UTF_8));
      return b;
    }

    static ByteBuffer tcp(Random r) {
      ByteBuffer b = record(REC_TCP, TcpRecordDecoder.SIZE, r);
      b.putLong(TcpRecordDecoder.CONNECT_LATENCY, 150_000).putLong(TcpRecordDecoder.BYTES_SENT, 100);
      boolean v6 = r.nextBoolean();
      b.putShort(TcpRecordDecoder.FAMILY, (short) (v6 ? TcpRecordDecoder.AF_INET6 : TcpRecordDecoder.AF_INET));
      b.putInt(TcpRecordDecoder.SADDR, 0x0100007f).putInt(TcpRecordDecoder.DADDR, 0x0100007f);
      b.putShort(TcpRecordDecoder.SPORT, (short) 40000).putShort(TcpRecordDecoder.DPORT, (short) 443);
      b.put(TcpRecordDecoder.TYPE, (byte) r.nextInt(TcpEventType.values().length)).put(TcpRecordDecoder.TASK_KNOWN, (byte) 1);
      b.putInt(TcpRecordDecoder.STATE, r.nextInt(14)).putInt(TcpRecordDecoder.RESET_REASON, r.nextInt(40));
      return b;
    }
  }

  @Provide
  Arbitrary<List<ByteMutation>> mutations() {
    return ByteMutation.some();
  }

  @Provide
  Arbitrary<Seed> seeds() {
    return Arbitraries.of(Seed.class);
  }

  @Property(tries = 1000)
  void everyValidRecordDecodesReadingNothingPastItsEnd(@ForAll("seeds") Seed seed, @ForAll long random,
                                                        @ForAll @IntRange(max = 64) int at) {
    byte[] valid = seed.record(new Random(random)).array();
    Decoded d = decode(seed, valid, at);
    assertThat(d.refused()).as("%s refused its own valid record: %s", seed, d.refusal).isNull();
    assertThat(d.records).as(seed + " records").isEqualTo(seed == Seed.UTS_NAME ? 0 : 1);
  }

  @Property(tries = 4000)
  void mutatedRecordsAreDecodedOrRefusedAndCounted(@ForAll("seeds") Seed seed, @ForAll long random,
                                                   @ForAll @IntRange(max = 64) int at,
                                                   @ForAll("mutations") List<ByteMutation> mutations) {
    byte[] record = ByteMutation.applyAll(seed.record(new Random(random)).array(), mutations);
    Statistics.collect(decode(seed, record, at).refused() == null ? "decoded" : "refused");
  }

  /** What one record came to: the records emitted, or the decoder's refusal. */
  record Decoded(int records, MalformedRecordException refusal) {
    MalformedRecordException refused() {
      return refusal;
    }
  }

  /**
   * Decodes {@code record} placed at the end of a ring buffer after {@code at} bytes of other data,
   * once directly (only MalformedRecordException may escape) and once through the reader's guard
   * (which must count exactly the refusals as parse errors).
   */
  private static Decoded decode(Seed seed, byte[] record, int at) {
    int offset = at * 8;
    ByteBuffer ring = ByteBuffer.allocate(offset + record.length).order(ByteOrder.LITTLE_ENDIAN);
    new Random(at).nextBytes(ring.array());
    ring.put(offset, record);
    String input = seed + " at " + offset + ": " + HexFormat.of().formatHex(record);

    Harness direct = harness(seed);
    BoundedCall.Outcome<Object> o = CALLS.run(() -> {
      direct.decoder.decode(ring, offset, record.length);
      return Boolean.TRUE;
    }, input);
    MalformedRecordException refusal = null;
    if (o.thrown() != null) {
      assertThat(o.thrown()).as("only MalformedRecordException may leave a decoder; got %s on %s", o.thrown(), input)
          .isExactlyInstanceOf(MalformedRecordException.class);
      refusal = (MalformedRecordException) o.thrown();
      assertThat(refusal.getMessage()).isNotBlank().doesNotContain("\n").hasSizeLessThan(300);
    }

    Harness guarded = harness(seed);
    RecordHandler handler = LoadedProbe.guarded(guarded.decoder, guarded.counters);
    BoundedCall.Outcome<Object> g = CALLS.run(() -> {
      handler.onRecord(ring, offset, record.length);
      return Boolean.TRUE;
    }, input);
    assertThat(g.thrown()).as("the reader's guard let through").isNull();
    assertThat(guarded.counters.delivered.sum()).isEqualTo(1);
    assertThat(guarded.counters.parseErrors.sum()).as("parse errors of " + input).isEqualTo(refusal == null ? 0 : 1);
    assertThat(guarded.sink.records).isEqualTo(direct.sink.records);
    return new Decoded(direct.sink.records, refusal);
  }

  record Harness(RecordDecoder decoder, ProbeCounters counters, EncodingSink sink) {
  }

  private static final Map<Seed, Probe> PROBES = new EnumMap<>(Seed.class);

  private static Harness harness(Seed seed) {
    Probe probe = PROBES.computeIfAbsent(seed, s -> s.probe.get());
    ProbeCounters counters = new ProbeCounters(probe.name());
    EncodingSink sink = new EncodingSink();
    DecodeContext ctx = new DecodeContext(new TaskContextReader(new HostIdentity("fuzz-host", "fuzz"), new BootClock(), cg -> null),
        sink, counters, Redactor.defaults(), NamespaceObserver.NONE);
    return new Harness(probe.decoder(ctx), counters, sink);
  }

  /** Encodes every record into the wire format and back, as the Kafka sink would: what a decoder emits must be sendable. */
  static final class EncodingSink implements EventSink {
    private static final Map<Topic, WireCodec<SpecificRecord>> CODECS = new java.util.concurrent.ConcurrentHashMap<>();
    int records;

    @Override
    @SuppressWarnings("unchecked")
    public void accept(Topic topic, SpecificRecord record, ProbeCounters counters) {
      WireCodec<SpecificRecord> codec = CODECS.computeIfAbsent(topic, t -> (WireCodec<SpecificRecord>) WireCodec.of(t.recordType()));
      synchronized (codec) {
        assertThat((Object) codec.decode(codec.encode(record))).isEqualTo(record);
      }
      records++;
      counters.produced.increment();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  }
}

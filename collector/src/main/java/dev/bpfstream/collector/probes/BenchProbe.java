package dev.bpfstream.collector.probes;

import static dev.bpfstream.collector.probe.RecordLayout.BODY;
import static dev.bpfstream.collector.probe.RecordLayout.HDR_BYTES;

import java.nio.ByteBuffer;
import java.util.List;

import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.MalformedRecordException;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.RecordDecoder;
import dev.bpfstream.collector.probe.RecordLayout;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.schema.Topic;

/**
 * A synthetic probe for benchmarks and loss tests: one record per getppid() call of one target
 * process, through the same emit path, ring, reader, enrichment and sink as the real probes. Its
 * records travel as ProcessExit-shaped records (exit code = the per-CPU sequence) on the exit topic,
 * so its cost is that of a real small event. Not enabled by default.
 */
public final class BenchProbe extends Probe {
  static final int VALUE = BODY;
  static final int SIZE = BODY + 8;
  static final int CFG_TARGET_TGID = RecordLayout.CFG_COMMON_BYTES;

  private final int targetTgid;
  private final boolean decode;

  public BenchProbe(int targetTgid) {
    this(targetTgid, true);
  }

  /** @param decode false: the decoder only reads the sequence number (the reader's own cost) */
  public BenchProbe(int targetTgid, boolean decode) {
    this.targetTgid = targetTgid;
    this.decode = decode;
  }

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String replaces() {
    return "(benchmark load)";
  }

  @Override
  public String description() {
    return "synthetic: one record per getppid() of a target process";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.EXIT);
  }

  @Override
  public List<String> tracepoints() {
    return List.of("syscalls/sys_enter_getppid");
  }

  @Override
  protected int configBytes() {
    return RecordLayout.CFG_COMMON_BYTES + 8;
  }

  @Override
  protected void writeConfig(ByteBuffer config, ProbeOptions options) {
    config.putInt(CFG_TARGET_TGID, targetTgid);
  }

  @Override
  public RecordDecoder decoder(DecodeContext context) {
    if (!decode) {
      return (ring, offset, length) -> {
        if (length < SIZE || ring.getLong(offset + VALUE) == 0) {
          throw new MalformedRecordException("bench record");
        }
      };
    }
    return new Decoder(context);
  }

  static final class Decoder implements RecordDecoder {
    private final DecodeContext out;
    private final ProcessExit record = new ProcessExit();

    Decoder(DecodeContext out) {
      this.out = out;
      record.setCtx(TaskContextReader.newContext());
      record.setCoreDumped(false);
      record.setSignal(0);
    }

    @Override
    public void decode(ByteBuffer b, int at, int length) {
      if (length < SIZE) {
        throw new MalformedRecordException("bench record of " + length + " bytes");
      }
      long boot = out.tasks().read(b, at + HDR_BYTES, record.getCtx());
      record.setExitCode((int) b.getLong(at + VALUE));
      record.setStartTimeNs(out.tasks().clock().toEpochNs(boot));
      record.setLifetimeNs(0);
      out.emit(Topic.EXIT, record);
    }
  }
}

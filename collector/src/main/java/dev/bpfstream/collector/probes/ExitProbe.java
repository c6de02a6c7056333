package dev.bpfstream.collector.probes;

import static dev.bpfstream.collector.probe.RecordLayout.BODY;
import static dev.bpfstream.collector.probe.RecordLayout.HDR_BYTES;

import java.nio.ByteBuffer;
import java.util.List;

import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.MalformedRecordException;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.RecordDecoder;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.schema.Topic;

/** exitsnoop: process exits with exit code or signal and lifetime, so short-lived processes stand out. */
public final class ExitProbe extends Probe {
  static final int START_BOOT_NS = BODY;
  static final int EXIT_CODE = BODY + 8;
  static final int SIZE = BODY + 16;

  @Override
  public String name() {
    return "exit";
  }

  @Override
  public String replaces() {
    return "exitsnoop";
  }

  @Override
  public String description() {
    return "process exits: exit code, signal, core dump, lifetime";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.EXIT);
  }

  @Override
  public List<String> tracepoints() {
    return List.of("sched/sched_process_exit");
  }

  @Override
  public RecordDecoder decoder(DecodeContext context) {
    return new Decoder(context);
  }

  static final class Decoder implements RecordDecoder {
    private final DecodeContext out;
    private final ProcessExit record = new ProcessExit();

    Decoder(DecodeContext out) {
      this.out = out;
      record.setCtx(TaskContextReader.newContext());
    }

    @Override
    public void decode(ByteBuffer b, int at, int length) {
      if (length < SIZE) {
        throw new MalformedRecordException("exit record of " + length + " bytes");
      }
      long bootNs = out.tasks().read(b, at + HDR_BYTES, record.getCtx());
      long startBoot = b.getLong(at + START_BOOT_NS);
      int code = b.getInt(at + EXIT_CODE);
      record.setExitCode((code >> 8) & 0xff);
      record.setSignal(code & 0x7f);
      record.setCoreDumped((code & 0x80) != 0);
      record.setStartTimeNs(out.tasks().clock().toEpochNs(startBoot));
      record.setLifetimeNs(Math.max(0, bootNs - startBoot));
      out.emit(Topic.EXIT, record);
    }
  }
}

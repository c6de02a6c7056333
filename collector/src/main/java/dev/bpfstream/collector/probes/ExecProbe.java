package dev.bpfstream.collector.probes;

import static dev.bpfstream.collector.probe.RecordLayout.BODY;
import static dev.bpfstream.collector.probe.RecordLayout.HDR_BYTES;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.collector.enrich.DirectoryModes;
import dev.bpfstream.collector.enrich.Redactor;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.MalformedRecordException;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.ProbeOption;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.RecordDecoder;
import dev.bpfstream.collector.probe.RecordLayout;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.schema.Topic;

/** execsnoop: every successful exec with argv, the file's mode and owner, and its directory's mode. */
public final class ExecProbe extends Probe {
  static final int RETVAL = BODY;
  static final int FILE_MODE = BODY + 4;
  static final int FILE_UID = BODY + 8;
  static final int FILENAME_LEN = BODY + 12;
  static final int ARGS_LEN = BODY + 14;
  static final int ARGS_TRUNCATED = BODY + 16;
  static final int FILENAME = BODY + 24;
  static final int FILENAME_MAX = 256;
  static final int ARGS = FILENAME + FILENAME_MAX;
  static final int ARGS_MAX = 4096;
  static final int CFG_ARGS_MAX = RecordLayout.CFG_COMMON_BYTES;

  @Override
  public String name() {
    return "exec";
  }

  @Override
  public String replaces() {
    return "execsnoop";
  }

  @Override
  public String description() {
    return "successful execs: filename, argv (bounded, redacted), file mode/owner, namespaces";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.EXEC);
  }

  @Override
  public List<String> tracepoints() {
    return List.of("sched/sched_process_exec");
  }

  @Override
  public List<ProbeOption> options() {
    return List.of(ProbeOption.size("argv-max-bytes", 1024, 0, ARGS_MAX - 1, "bytes of argv copied per exec (the rest is cut, argvTruncated)"));
  }

  @Override
  protected int configBytes() {
    return RecordLayout.CFG_COMMON_BYTES + 8;
  }

  @Override
  protected void writeConfig(ByteBuffer config, ProbeOptions options) {
    config.putInt(CFG_ARGS_MAX, (int) options.number(this, "argv-max-bytes"));
  }

  @Override
  public RecordDecoder decoder(DecodeContext context) {
    return new Decoder(context);
  }

  static final class Decoder implements RecordDecoder {
    private final DecodeContext out;
    private final Redactor redactor;
    private final DirectoryModes directories = new DirectoryModes(4096);
    private final ProcessExec record = new ProcessExec();
    private final List<String> rawArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private byte[] scratch = new byte[FILENAME_MAX];

    Decoder(DecodeContext out) {
      this.out = out;
      this.redactor = out.redactor();
      record.setCtx(TaskContextReader.newContext());
      record.setArgv(args);
    }

    @Override
    public void decode(ByteBuffer b, int at, int length) {
      if (length < ARGS) {
        throw new MalformedRecordException("exec record of " + length + " bytes");
      }
      out.tasks().read(b, at + HDR_BYTES, record.getCtx());
      record.setRetval(b.getInt(at + RETVAL));
      record.setFileMode(b.getInt(at + FILE_MODE));
      record.setFileUid(Integer.toUnsignedLong(b.getInt(at + FILE_UID)));
      int filenameLen = Math.min(b.getShort(at + FILENAME_LEN) & 0xffff, FILENAME_MAX - 1);
      int argsLen = b.getShort(at + ARGS_LEN) & 0xffff;
      if (ARGS + argsLen > length) {
        throw new MalformedRecordException("exec argv of " + argsLen + " bytes in a record of " + length);
      }
      String filename = string(b, at + FILENAME, filenameLen);
      record.setDirMode(directories.modeOfParent(record.getCtx().getPid(), record.getCtx().getNs().getMnt(), filename));
      record.setFilename(redactor.redact(filename));
      splitArgs(b, at + ARGS, argsLen);
      redactor.redactArgs(rawArgs, args);
      record.setArgvTruncated(b.getInt(at + ARGS_TRUNCATED) != 0);
      out.emit(Topic.EXEC, record);
    }

    private void splitArgs(ByteBuffer b, int at, int len) {
      rawArgs.clear();
      int start = 0;
      for (int i = 0; i < len; i++) {
        if (b.get(at + i) == 0) {
          rawArgs.add(string(b, at + start, i - start));
          start = i + 1;
        }
      }
      if (start < len) {
        rawArgs.add(string(b, at + start, len - start)); // truncated last argument
      }
    }

    private String string(ByteBuffer b, int at, int len) {
      if (scratch.length < len) {
        scratch = new byte[len];
      }
      b.get(at, scratch, 0, len);
      return new String(scratch, 0, len, StandardCharsets.UTF_8);
    }
  }
}

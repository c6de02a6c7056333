package dev.bpfstream.collector.probes;

import static dev.bpfstream.collector.probe.RecordLayout.BODY;
import static dev.bpfstream.collector.probe.RecordLayout.HDR_BYTES;

import java.nio.ByteBuffer;
import java.util.List;

import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.MalformedRecordException;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.ProbeOption;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.RecentStrings;
import dev.bpfstream.collector.probe.RecordDecoder;
import dev.bpfstream.collector.probe.RecordLayout;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.event.FileOpen;
import dev.bpfstream.schema.Topic;

/** opensnoop: open/openat/openat2/creat with the path (bounded, redacted), flags, mode, fd or errno. */
public final class OpenProbe extends Probe {
  static final int RET = BODY;
  static final int FLAGS = BODY + 8;
  static final int MODE = BODY + 16;
  static final int SYSCALL = BODY + 20;
  static final int PATH_LEN = BODY + 22;
  static final int PATH_TRUNCATED = BODY + 24;
  static final int PATH = BODY + 32;
  static final int PATH_MAX = 4096;
  static final int CFG_PATH_MAX = RecordLayout.CFG_COMMON_BYTES;
  static final int CFG_FAILED_ONLY = RecordLayout.CFG_COMMON_BYTES + 4;
  static final int CFG_BYTES = RecordLayout.CFG_COMMON_BYTES + 8;
  private static final String[] SYSCALLS = {"open", "openat", "openat2", "creat"};

  @Override
  public String name() {
    return "open";
  }

  /**
   * 32 MiB: an open() storm makes 100-150k records a second of ~170 bytes (24 MB/s), which a 4 MiB
   * ring holds for 0.17 s; this one holds 1.4 s of it (a cold reader's first JIT compilations, a
   * descheduled reader on a busy host). Kernel memory, allocated when the probe loads.
   */
  @Override
  public int defaultRingBytes() {
    return 32 << 20;
  }

  @Override
  public String replaces() {
    return "opensnoop";
  }

  @Override
  public String description() {
    return "open/openat/openat2/creat: path (bounded, redacted), flags, mode, fd or errno";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.OPEN);
  }

  @Override
  public List<String> tracepoints() {
    return List.of("syscalls/sys_exit_openat");
  }

  @Override
  public List<ProbeOption> options() {
    return List.of(
        ProbeOption.size("path-max", 256, 2, PATH_MAX, "bytes of path copied per open, NUL included"),
        ProbeOption.flag("failed-only", false, "only opens that failed (opensnoop -x)"));
  }

  @Override
  public String notes() {
    return "open/creat/openat2 attach where the kernel has them; arguments read from the saved user registers at exit (one hook per call)";
  }

  @Override
  protected int configBytes() {
    return CFG_BYTES;
  }

  @Override
  protected void writeConfig(ByteBuffer config, ProbeOptions options) {
    config.putInt(CFG_PATH_MAX, (int) options.number(this, "path-max"));
    config.putInt(CFG_FAILED_ONLY, options.flag(this, "failed-only") ? 1 : 0);
  }

  @Override
  protected void prepare(BpfObject object, ProbeOptions options) {
    skipMissingTracepoints(object);
  }

  @Override
  public RecordDecoder decoder(DecodeContext context) {
    return new Decoder(context);
  }

  static final class Decoder implements RecordDecoder {
    private final DecodeContext out;
    private final FileOpen record = new FileOpen();
    private final RecentStrings paths;

    Decoder(DecodeContext out) {
      this.out = out;
      this.paths = new RecentStrings(1024, out.redactor()::redact);
      record.setCtx(TaskContextReader.newContext());
    }

    @Override
    public void decode(ByteBuffer b, int at, int length) {
      if (length < PATH) {
        throw new MalformedRecordException("open record of " + length + " bytes");
      }
      int pathLen = b.getShort(at + PATH_LEN) & 0xffff;
      int syscall = b.getShort(at + SYSCALL) & 0xffff;
      if (PATH + pathLen > length || syscall >= SYSCALLS.length) {
        throw new MalformedRecordException("open record: path of " + pathLen + " bytes, syscall " + syscall + ", in " + length);
      }
      out.tasks().read(b, at + HDR_BYTES, record.getCtx());
      long ret = b.getLong(at + RET);
      record.setSyscall(SYSCALLS[syscall]);
      record.setPath(paths.get(b, at + PATH, pathLen));
      record.setPathTruncated(b.getInt(at + PATH_TRUNCATED) != 0);
      record.setFlags((int) b.getLong(at + FLAGS));
      record.setMode(b.getInt(at + MODE));
      record.setFd(ret >= 0 ? (int) ret : -1);
      record.setErrno(ret < 0 ? (int) -ret : 0);
      out.emit(Topic.OPEN, record);
    }
  }
}

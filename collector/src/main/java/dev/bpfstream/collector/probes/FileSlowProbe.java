package dev.bpfstream.collector.probes;

import static dev.bpfstream.collector.probe.RecordLayout.BODY;
import static dev.bpfstream.collector.probe.RecordLayout.HDR_BYTES;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import dev.bpfstream.event.FileOp;
import dev.bpfstream.event.FileOpSlow;
import dev.bpfstream.schema.Topic;

/**
 * fileslow: reads, writes, syncs and opens of regular files slower than a threshold, at syscall
 * level (any filesystem), with path, filesystem type (from the task's fd table) and bytes.
 */
public final class FileSlowProbe extends Probe {
  static final int LATENCY = BODY;
  static final int RETVAL = BODY + 8;
  static final int OFFSET = BODY + 16;
  static final int BYTES = BODY + 24;
  static final int FD = BODY + 32;
  static final int OP = BODY + 36;
  static final int FS_TYPE = BODY + 40;
  static final int FS_TYPE_LEN = 16;
  static final int PATH_LEN = BODY + 56;
  static final int PATH_TRUNCATED = BODY + 58;
  static final int PATH = BODY + 64;
  static final int PATH_MAX = 512;
  static final int CFG_MIN_LATENCY = RecordLayout.CFG_COMMON_BYTES;
  static final int CFG_PATH_MAX = RecordLayout.CFG_COMMON_BYTES + 8;
  static final int CFG_FS_FILTER_COUNT = RecordLayout.CFG_COMMON_BYTES + 12;
  static final int CFG_FS_FILTER = RecordLayout.CFG_COMMON_BYTES + 16;
  static final int FS_FILTER_MAX = 4;
  static final int CFG_BYTES = CFG_FS_FILTER + FS_FILTER_MAX * FS_TYPE_LEN;
  private static final FileOp[] OPS = FileOp.values();

  @Override
  public String name() {
    return "fileslow";
  }

  @Override
  public String replaces() {
    return "ext4slower";
  }

  @Override
  public String description() {
    return "file reads/writes/syncs/opens slower than a threshold: path, fs type, bytes, latency";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.FILE_SLOW);
  }

  @Override
  public List<String> tracepoints() {
    return List.of("syscalls/sys_enter_read", "syscalls/sys_exit_read", "syscalls/sys_enter_write", "syscalls/sys_exit_write",
        "syscalls/sys_enter_fsync", "syscalls/sys_exit_fsync");
  }

  @Override
  public List<ProbeOption> options() {
    return List.of(
        ProbeOption.duration("min-latency", "10ms", "report operations at least this slow (0: all)"),
        ProbeOption.list("fs-types", "", FS_FILTER_MAX, FS_TYPE_LEN - 1, "only these filesystem types, e.g. ext4,xfs (empty: all)"),
        ProbeOption.size("path-max", 256, 16, PATH_MAX, "bytes of path kept per event"));
  }

  @Override
  public String notes() {
    return "regular files only; syscall level (read/write/pread64/pwrite64/readv/writev/fsync/fdatasync/open/openat), "
        + "so page-cache hits count too, unlike ext4slower's VFS hooks; io_uring and mmap I/O are not seen";
  }

  @Override
  protected int configBytes() {
    return CFG_BYTES;
  }

  @Override
  protected void writeConfig(ByteBuffer config, ProbeOptions options) {
    config.putLong(CFG_MIN_LATENCY, options.duration(this, "min-latency").toNanos());
    config.putInt(CFG_PATH_MAX, (int) options.number(this, "path-max"));
    List<String> fs = options.list(this, "fs-types");
    config.putInt(CFG_FS_FILTER_COUNT, fs.size());
    for (int i = 0; i < fs.size(); i++) {
      byte[] name = fs.get(i).getBytes(StandardCharsets.US_ASCII);
      config.put(CFG_FS_FILTER + i * FS_TYPE_LEN, name);
    }
  }

  @Override
  protected void prepare(BpfObject object, ProbeOptions options) {
    skipMissingTracepoints(object);
  }

  @Override
  public RecordDecoder decoder(DecodeContext context) {
    return new Decoder(context);
  }

  /** "f\0dir\0tmp\0" (leaf first, as the kernel walked it) → "/tmp/dir/f". */
  static String joinComponents(String leafFirst, boolean truncated) {
    String[] parts = leafFirst.split("\0");
    StringBuilder sb = new StringBuilder(leafFirst.length() + 4);
    if (truncated) {
      sb.append("...");
    }
    for (int i = parts.length - 1; i >= 0; i--) {
      if (!parts[i].isEmpty()) {
        sb.append('/').append(parts[i]);
      }
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  static final class Decoder implements RecordDecoder {
    private final DecodeContext out;
    private final FileOpSlow record = new FileOpSlow();
    private final RecentStrings paths;
    private final RecentStrings truncatedPaths;
    private final RecentStrings fsTypes = new RecentStrings(16, s -> s);

    Decoder(DecodeContext out) {
      this.out = out;
      var redactor = out.redactor();
      this.paths = new RecentStrings(1024, s -> redactor.redact(joinComponents(s, false)));
      this.truncatedPaths = new RecentStrings(256, s -> redactor.redact(joinComponents(s, true)));
      record.setCtx(TaskContextReader.newContext());
    }

    @Override
    public void decode(ByteBuffer b, int at, int length) {
      if (length < PATH) {
        throw new MalformedRecordException("file-slow record of " + length + " bytes");
      }
      int pathLen = b.getShort(at + PATH_LEN) & 0xffff;
      int op = b.getInt(at + OP);
      if (PATH + pathLen > length || op < 0 || op >= OPS.length) {
        throw new MalformedRecordException("file-slow record: path of " + pathLen + " bytes, op " + op + ", in " + length);
      }
      out.tasks().read(b, at + HDR_BYTES, record.getCtx());
      record.setOp(OPS[op]);
      record.setFd(b.getInt(at + FD));
      record.setLatencyNs(b.getLong(at + LATENCY));
      record.setRetval(b.getLong(at + RETVAL));
      record.setOffset(b.getLong(at + OFFSET));
      record.setBytes(b.getLong(at + BYTES));
      int fsLen = 0;
      while (fsLen < FS_TYPE_LEN && b.get(at + FS_TYPE + fsLen) != 0) {
        fsLen++;
      }
      record.setFsType(fsTypes.get(b, at + FS_TYPE, fsLen));
      boolean truncated = b.getShort(at + PATH_TRUNCATED) != 0;
      record.setPath((truncated ? truncatedPaths : paths).get(b, at + PATH, pathLen));
      out.emit(Topic.FILE_SLOW, record);
    }
  }
}

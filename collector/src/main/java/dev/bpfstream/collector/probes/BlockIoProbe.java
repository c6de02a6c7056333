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
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.event.BlockDevice;
import dev.bpfstream.event.BlockIo;
import dev.bpfstream.event.BlockOp;
import dev.bpfstream.schema.Topic;

/** biosnoop: every block request with device, sector, bytes, op, queue and service time, and its task. */
public final class BlockIoProbe extends Probe {
  static final int SECTOR = BODY;
  static final int QUEUE_NS = BODY + 8;
  static final int SERVICE_NS = BODY + 16;
  static final int BYTES = BODY + 24;
  static final int MAJOR = BODY + 28;
  static final int MINOR = BODY + 32;
  static final int OP = BODY + 36;
  static final int FLAGS = BODY + 40;
  static final int STATUS = BODY + 44;
  static final int TASK_KNOWN = BODY + 48;
  static final int DISK = BODY + 56;
  static final int DISK_LEN = 32;
  static final int SIZE = DISK + DISK_LEN;
  static final int BF_SYNC = 1;
  static final int BF_META = 2;
  static final int BF_FUA = 4;
  static final int BF_PREFLUSH = 8;
  static final int BF_RAHEAD = 16;
  private static final BlockOp[] OPS = BlockOp.values();

  @Override
  public String name() {
    return "biosnoop";
  }

  @Override
  public String replaces() {
    return "biosnoop";
  }

  @Override
  public String description() {
    return "block requests: device, sector, bytes, op, queue and service time, the task that queued it";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.BLOCK_IO);
  }

  @Override
  public List<String> tracepoints() {
    return List.of("block/block_io_start", "block/block_rq_insert", "block/block_rq_issue", "block/block_rq_complete");
  }

  @Override
  public List<ProbeOption> options() {
    return List.of(ProbeOption.count("max-inflight", 16384, 64, 1 << 20, "requests tracked between start and completion (full: counted as overflow)"));
  }

  @Override
  public String notes() {
    return "task from block_io_start (the submitter; writeback shows the flusher thread); requests started before the probe are not reported";
  }

  @Override
  protected void prepare(BpfObject object, ProbeOptions options) {
    object.setMaxEntries("inflight", (int) options.number(this, "max-inflight"));
  }

  @Override
  public RecordDecoder decoder(DecodeContext context) {
    return new Decoder(context);
  }

  /** The rwbs string of blktrace/biosnoop: F(lush before) W/R/D/DE/F/N, then F(ua) A(head) S(ync) M(eta). */
  static String rwbs(BlockOp op, int flags) {
    StringBuilder sb = new StringBuilder(6);
    if ((flags & BF_PREFLUSH) != 0) {
      sb.append('F');
    }
    sb.append(switch (op) {
      case WRITE -> "W";
      case READ -> "R";
      case DISCARD -> "D";
      case SECURE_ERASE -> "DE";
      case FLUSH -> "F";
      default -> "N";
    });
    if ((flags & BF_FUA) != 0) {
      sb.append('F');
    }
    if ((flags & BF_RAHEAD) != 0) {
      sb.append('A');
    }
    if ((flags & BF_SYNC) != 0) {
      sb.append('S');
    }
    if ((flags & BF_META) != 0) {
      sb.append('M');
    }
    return sb.toString();
  }

  /** blk_status_t to -errno as the kernel's blk_status_to_errno() maps it (linux/blk_types.h numbering). */
  static int errno(int status) {
    return switch (status) {
      case 0 -> 0;
      case 1 -> -95;   // NOTSUPP: EOPNOTSUPP
      case 2 -> -110;  // TIMEOUT: ETIMEDOUT
      case 3 -> -28;   // NOSPC: ENOSPC
      case 4 -> -67;   // TRANSPORT: ENOLINK
      case 5 -> -121;  // TARGET: EREMOTEIO
      case 6 -> -52;   // RESV_CONFLICT: EBADE
      case 7 -> -61;   // MEDIUM: ENODATA
      case 8 -> -84;   // PROTECTION: EILSEQ
      case 9 -> -12;   // RESOURCE: ENOMEM
      case 11 -> -78;  // DM_REQUEUE: EREMCHG
      case 12 -> -11;  // AGAIN: EAGAIN
      case 13 -> -16;  // DEV_RESOURCE: EBUSY
      case 14 -> -109; // ZONE_OPEN_RESOURCE: ETOOMANYREFS
      case 15 -> -75;  // ZONE_ACTIVE_RESOURCE: EOVERFLOW
      case 16 -> -19;  // OFFLINE: ENODEV
      case 17 -> -62;  // DURATION_LIMIT: ETIME
      default -> -5;   // IOERR (10) and anything else: EIO
    };
  }

  static final class Decoder implements RecordDecoder {
    private final DecodeContext out;
    private final BlockIo record = new BlockIo();
    private final BlockDevice device = new BlockDevice(0, 0, "");
    private final RecentStrings disks = new RecentStrings(64, s -> s);
    private final String[][] rwbsCache = new String[OPS.length][32];

    Decoder(DecodeContext out) {
      this.out = out;
      record.setCtx(TaskContextReader.newContext());
      record.setDevice(device);
    }

    @Override
    public void decode(ByteBuffer b, int at, int length) {
      if (length < SIZE) {
        throw new MalformedRecordException("block I/O record of " + length + " bytes");
      }
      int op = b.getInt(at + OP);
      if (op < 0 || op >= OPS.length) {
        throw new MalformedRecordException("block op " + op);
      }
      out.tasks().read(b, at + HDR_BYTES, record.getCtx());
      int nameLen = 0;
      while (nameLen < DISK_LEN && b.get(at + DISK + nameLen) != 0) {
        nameLen++;
      }
      device.setMajor(b.getInt(at + MAJOR));
      device.setMinor(b.getInt(at + MINOR));
      device.setName(disks.get(b, at + DISK, nameLen));
      record.setSector(b.getLong(at + SECTOR));
      record.setBytes(Integer.toUnsignedLong(b.getInt(at + BYTES)));
      record.setOp(OPS[op]);
      int flags = b.getInt(at + FLAGS) & 31;
      String rwbs = rwbsCache[op][flags];
      if (rwbs == null) {
        rwbs = rwbsCache[op][flags] = rwbs(OPS[op], flags);
      }
      record.setRwbs(rwbs);
      record.setQueueNs(b.getLong(at + QUEUE_NS));
      record.setServiceNs(b.getLong(at + SERVICE_NS));
      record.setError(errno(b.getInt(at + STATUS)));
      record.setTaskKnown(b.getInt(at + TASK_KNOWN) != 0);
      out.emit(Topic.BLOCK_IO, record);
    }
  }
}

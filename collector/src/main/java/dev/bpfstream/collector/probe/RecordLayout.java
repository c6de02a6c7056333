package dev.bpfstream.collector.probe;

/**
 * Byte offsets of what every record and configuration starts with (collector/src/main/bpf/bpfstream.h):
 * records start with struct record_hdr (kind, size) and, for task events, struct task_ctx right
 * after it. Each probe class holds the offsets of its own record (the domain headers task.h,
 * files.h, block.h, tcp.h, sched.h, bench.h); RecordLayoutTest checks them all against the C.
 */
public final class RecordLayout {
  private RecordLayout() {
  }

  public static final int HDR_KIND = 0;
  public static final int HDR_SIZE = 4;
  public static final int HDR_BYTES = 8;

  /** struct task_ctx, relative to its start. */
  public static final int CTX_BOOT_NS = 0;
  public static final int CTX_SEQ = 8;
  public static final int CTX_CGROUP_ID = 16;
  public static final int CTX_PID = 24;
  public static final int CTX_TID = 28;
  public static final int CTX_PPID = 32;
  public static final int CTX_UID = 36;
  public static final int CTX_GID = 40;
  public static final int CTX_CPU = 44;
  public static final int CTX_NS = 48;
  public static final int CTX_COMM = 80;
  public static final int COMM_LEN = 16;
  public static final int CTX_BYTES = 96;

  /** First byte after header and task context: where each record's own fields start. */
  public static final int BODY = HDR_BYTES + CTX_BYTES;

  /** enum record_kind: the first field of every ring record. */
  public static final int REC_EXEC = 1;
  public static final int REC_EXIT = 2;
  public static final int REC_NS_CHANGE = 3;
  public static final int REC_OPEN = 4;
  public static final int REC_FILE_SLOW = 5;
  public static final int REC_BLOCK_IO = 6;
  public static final int REC_TCP = 7;
  public static final int REC_SHELL = 8;
  public static final int REC_UTS_NAME = 9;
  public static final int REC_BENCH = 99;

  /** struct common_config: the head of every probe's configuration; a probe's own fields follow it. */
  public static final int CFG_WAKEUP_BYTES = 0;
  public static final int CFG_USE_PERFBUF = 8;
  public static final int CFG_SELF_TGID = 12;
  public static final int CFG_MAX_EVENTS_PER_SEC = 16;
  public static final int CFG_BURST = 20;
  public static final int CFG_RATE_INTERVAL_NS = 24;
  public static final int CFG_RATE_TOLERANCE_NS = 32;
  public static final int CFG_COMMON_BYTES = 40;

  /** struct probe_stats: one per CPU in each probe's stats map. */
  public static final int STATS_ATTEMPTED = 0;
  public static final int STATS_LOST = 8;
  public static final int STATS_OVERFLOW = 16;
  public static final int STATS_RATE_LIMITED = 24;
  public static final int STATS_BYTES = 40;
}

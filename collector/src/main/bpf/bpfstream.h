/* The contract between the BPF programs and the collector: record layouts shared by both sides.
 * Every struct is free of implicit padding (explicit pad fields), little-endian, and the Java
 * decoders read these offsets (see dev.bpfstream.collector.probe.RecordLayout). */
#ifndef BPFSTREAM_H
#define BPFSTREAM_H

#define TASK_COMM_LEN 16

/* Namespace slots of task_ctx.ns, in the order of the NamespaceKind Avro enum. */
enum ns_slot { NS_MNT, NS_UTS, NS_IPC, NS_PID, NS_NET, NS_USER, NS_CGROUP, NS_TIME, NS_SLOTS };

/* Record kinds, first field of every record. */
enum record_kind {
	REC_EXEC = 1,
	REC_EXIT = 2,
	REC_NS_CHANGE = 3,
	REC_OPEN = 4,
	REC_FILE_SLOW = 5,
	REC_BLOCK_IO = 6,
	REC_TCP = 7,
	REC_SHELL = 8,
	REC_UTS_NAME = 9,
	REC_BENCH = 99,
};

struct record_hdr {
	__u32 kind;
	__u32 size; /* bytes of the whole record, header included */
};

/* 96 bytes: who, where and when, read kernel-side at the event. */
struct task_ctx {
	__u64 boot_ns;   /* bpf_ktime_get_boot_ns() */
	__u64 seq;       /* per-CPU sequence of this probe's emit attempts */
	__u64 cgroup_id;
	__u32 pid;       /* tgid */
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u32 cpu;
	__u32 ns[NS_SLOTS];
	char comm[TASK_COMM_LEN];
};

/* Per-CPU loss accounting of one probe: attempted == delivered + lost + rate_limited, checked by
 * the collector. */
struct probe_stats {
	__u64 attempted;
	__u64 lost;          /* ring full: output failed */
	__u64 overflow;      /* bounded maps full (enter/exit pairing, histogram keys) */
	__u64 rate_limited;  /* dropped by the probe's rate limit before any ring space was asked for */
	__u64 rate_tat_ns;   /* rate limiter state, not a counter: GCRA theoretical arrival time (boot clock) */
};

/* Fields every probe's load-time configuration starts with. */
struct common_config {
	__u64 wakeup_bytes;  /* force a consumer wakeup when the ring holds at least this much */
	__u32 use_perfbuf;   /* 1: emit through the perf event array instead of the BPF ring */
	__u32 self_tgid;     /* the collector's own pid: its activity is not traced */
	/* Rate limit (0: none). The first two are the probe's limit over all CPUs, for the record; the
	 * collector splits it evenly over the online CPUs into the per-CPU GCRA parameters below, which
	 * are what the programs use (one bucket per CPU: no shared state, no atomics). */
	__u32 max_events_per_sec;
	__u32 burst;              /* events the probe may emit at once above the rate (at least 1 per CPU) */
	__u64 rate_interval_ns;   /* per CPU: ns between events at the limit; 0: unlimited */
	__u64 rate_tolerance_ns;  /* per CPU: how far ahead of the rate a burst may run, (burst/cpus - 1) * interval */
};

/* exec ------------------------------------------------------------------ */
#define EXEC_FILENAME_MAX 256
#define EXEC_ARGS_MAX 4096

struct exec_config {
	struct common_config common;
	__u32 args_max;      /* bytes of argv to copy, <= EXEC_ARGS_MAX */
	__u32 pad;
};

struct exec_record {
	struct record_hdr hdr;
	struct task_ctx ctx;
	__s32 retval;
	__u32 file_mode;
	__u32 file_uid;
	__u16 filename_len;   /* bytes in filename, without NUL */
	__u16 args_len;       /* bytes in args: NUL-separated argv */
	__u32 args_truncated;
	__u32 pad;
	char filename[EXEC_FILENAME_MAX];
	char args[EXEC_ARGS_MAX];
};

/* exit ------------------------------------------------------------------ */
struct exit_config {
	struct common_config common;
};

struct exit_record {
	struct record_hdr hdr;
	struct task_ctx ctx;
	__u64 start_boot_ns;
	__s32 exit_code;  /* task->exit_code: status << 8 | core 0x80 | signal */
	__u32 pad;
};

/* namespace lifecycle --------------------------------------------------- */
enum ns_syscall { NSC_CLONE = 0, NSC_CLONE3 = 1, NSC_UNSHARE = 2, NSC_SETNS = 3 };

struct nslifecycle_config {
	struct common_config common;
};

struct ns_change_record {
	struct record_hdr hdr;
	struct task_ctx ctx;     /* ctx.ns: namespaces before the call */
	__u64 flags;
	__s64 retval;
	__u32 syscall;
	__u32 after_ns[NS_SLOTS];
	__u32 child_pid;         /* clone: the new task */
};

/* A UTS namespace given a new hostname or domain name (sethostname/setdomainname). */
#define UTS_NAME_LEN 65

struct uts_name_record {
	struct record_hdr hdr;
	struct task_ctx ctx;     /* ctx.ns[NS_UTS]: the renamed namespace */
	char nodename[UTS_NAME_LEN];
	char domainname[UTS_NAME_LEN];
	__u8 pad[6];
};

/* ===== probes part 1: files, block I/O, TCP, page cache ===================================== */

/* open (opensnoop) ------------------------------------------------------ */
#define OPEN_PATH_MAX 4096

enum open_syscall { OSC_OPEN = 0, OSC_OPENAT = 1, OSC_OPENAT2 = 2, OSC_CREAT = 3 };

struct open_config {
	struct common_config common;
	__u32 path_max;      /* bytes of path copied, NUL included, <= OPEN_PATH_MAX */
	__u32 failed_only;   /* 1: only failed opens */
};

struct open_record {
	struct record_hdr hdr;
	struct task_ctx ctx;
	__s64 ret;            /* fd, or -errno */
	__u64 flags;
	__u32 mode;
	__u16 syscall;        /* enum open_syscall */
	__u16 path_len;       /* bytes in path, without NUL */
	__u32 path_truncated;
	__u32 pad;
	char path[OPEN_PATH_MAX];
};

/* file-slower: file operations slower than a threshold, at syscall level ------------------- */
#define FILE_PATH_MAX 512     /* bytes of path components kept */
#define FILE_NAME_CHUNK 256   /* bytes read per component */
#define FILE_PATH_DEPTH 16    /* components walked up from the file */
#define FS_TYPE_LEN 16
#define FS_FILTER_MAX 4

/* Ordinals of the FileOp Avro enum. */
enum file_op { FOP_READ = 0, FOP_WRITE, FOP_PREAD, FOP_PWRITE, FOP_READV, FOP_WRITEV, FOP_FSYNC,
	       FOP_FDATASYNC, FOP_OPEN, FOP_OTHER };

struct fileslow_config {
	struct common_config common;
	__u64 min_latency_ns;
	__u32 path_max;       /* bytes of path components, <= FILE_PATH_MAX */
	__u32 fs_filter_count; /* 0: every filesystem */
	char fs_filter[FS_FILTER_MAX][FS_TYPE_LEN];
};

struct file_slow_record {
	struct record_hdr hdr;
	struct task_ctx ctx;
	__u64 latency_ns;
	__s64 retval;
	__s64 offset;         /* -1 when unknown */
	__u64 bytes;
	__s32 fd;
	__u32 op;             /* enum file_op */
	char fs_type[FS_TYPE_LEN];
	__u16 path_len;       /* bytes in path */
	__u16 path_truncated; /* 1: the walk stopped before the root */
	__u32 pad;
	/* Path components leaf first, each NUL-terminated ("f\0dir\0tmp\0"); the collector reverses them. */
	char path[FILE_PATH_MAX + FILE_NAME_CHUNK];
};

/* block I/O: biosnoop and biolatency ----------------------------------- */
#define DISK_NAME_LEN 32

/* Ordinals of the BlockOp Avro enum. */
enum block_op { BOP_READ = 0, BOP_WRITE, BOP_FLUSH, BOP_DISCARD, BOP_SECURE_ERASE, BOP_WRITE_ZEROES, BOP_OTHER };

/* Request flags normalized across kernels (rwbs letters). */
enum block_flag { BF_SYNC = 1, BF_META = 2, BF_FUA = 4, BF_PREFLUSH = 8, BF_RAHEAD = 16 };

struct biosnoop_config {
	struct common_config common;
};

struct block_io_record {
	struct record_hdr hdr;
	struct task_ctx ctx;  /* the task that queued the request (task_known), else the completing context */
	__u64 sector;
	__u64 queue_ns;       /* insert to issue; 0 when the request was not queued in a scheduler */
	__u64 service_ns;     /* issue to completion */
	__u32 bytes;
	__u32 major;
	__u32 minor;
	__u32 op;             /* enum block_op */
	__u32 flags;          /* enum block_flag bits */
	__u32 status;         /* blk_status_t, 0: ok */
	__u32 task_known;
	__u32 pad;
	char disk[DISK_NAME_LEN];
};

/* Stages of the BlockStage Avro enum. */
enum block_stage { BST_SERVICE = 0, BST_QUEUE = 1 };
#define LOG2_BUCKETS 64

struct biolatency_config {
	struct common_config common;
	__u32 queue_stage;    /* 1: also insert-to-issue histograms */
	__u32 pad;
};

struct bio_hist_key {
	__u32 dev;            /* (major << 20) | first_minor of the disk */
	__u8 op;              /* enum block_op */
	__u8 stage;           /* enum block_stage */
	__u16 pad;
};

/* The Log2Buckets layout: bucket i counts floor(log2(ns)) == i, 0 and 1 in bucket 0. */
struct log2_hist {
	__u64 buckets[LOG2_BUCKETS];
	__u64 count;
	__u64 sum_ns;
};

/* TCP: tcplife/tcpconnect/tcpaccept, tcpretrans and resets -------------- */
/* Ordinals of the TcpEventType Avro enum. */
enum tcp_event_type { TCPE_CONNECT = 0, TCPE_ACCEPT, TCPE_CLOSE, TCPE_RETRANSMIT, TCPE_SEND_RESET,
		      TCPE_RECEIVE_RESET };

struct tcp_config {
	struct common_config common;
};

struct tcp_record {
	struct record_hdr hdr;
	struct task_ctx ctx;  /* the owning task when task_known, else the context the kernel ran in */
	__u64 connect_latency_ns;
	__u64 lifetime_ns;    /* 0 when the socket's start was not seen */
	__u64 bytes_sent;     /* payload sent once (tcp_sock bytes_sent - bytes_retrans) */
	__u64 bytes_received; /* payload received (tcp_sock bytes_received, without the peer's FIN) */
	__u8 saddr[16];       /* IPv4 in the first 4 bytes */
	__u8 daddr[16];
	__u16 sport;          /* host byte order */
	__u16 dport;
	__u16 family;         /* AF_INET or AF_INET6 */
	__u8 type;            /* enum tcp_event_type */
	__u8 task_known;
	__u32 state;          /* TCP state at the event (CLOSE: the state it left) */
	__u32 reset_reason;   /* SEND_RESET: enum sk_rst_reason */
};

struct tcpretrans_config {
	struct common_config common;
};

/* cachestat: page-cache counters per cgroup, drained by the collector ---- */
struct cachestat_config {
	struct common_config common;
	__u32 per_cgroup;     /* 0: one host-wide entry (cgroup id 0) */
	__u32 pad;
};

struct cache_counts {
	__u64 misses;         /* pages added to the page cache */
	__u64 dirtied;        /* folios dirtied */
	__u64 evicted;        /* pages removed from the page cache */
	__u64 accesses;       /* estimate: pages asked for by buffered reads, plus file page faults */
};
/* ===== end of probes part 1 ============================================================== */

/* bench: a synthetic high-rate record for reader benchmarks and loss tests */
struct bench_config {
	struct common_config common;
	__u32 target_tgid;
	__u32 pad;
};

struct bench_record {
	struct record_hdr hdr;
	struct task_ctx ctx;
	__u64 value;
};

/* run queue, profile, shell (probes part 2) ------------------------------ */
#define LOG2_SLOTS 64

/* Drained maps are keyed by a generation the collector flips each interval (interval.bpf.h). */

/* runqlat: wakeup (or preemption) to running, per pid namespace and cgroup v2 id. */
struct runqlat_config {
	struct common_config common;
};

struct runq_key {
	__u64 cgroup_id;
	__u32 pidns;
	__u32 generation;
};

/* Log2 buckets over ns (dev.bpfstream.schema.Log2Buckets). In the per-generation catch-all
 * (runq_unattributed) `unmeasured` counts wakeups that could not be timed (tracking map full). */
struct runq_hist {
	__u64 slots[LOG2_SLOTS];
	__u64 count;
	__u64 sum_ns;
	__u64 unmeasured;
};

/* runqlen: tasks waiting on this CPU's run queue at each sample (running task excluded). */
#define RUNQLEN_SLOTS 64

struct runqlen_config {
	struct common_config common;
};

/* Per CPU, cumulative since load: the collector reads differences. */
struct runqlen_hist {
	__u64 slots[RUNQLEN_SLOTS]; /* slot i: i tasks waiting; the last slot holds i or more */
	__u64 samples;
	__u64 waiting_sum;
};

/* profile: CPU samples counted per thread, namespaces and stack pair. */
#define PROFILE_STACK_DEPTH 127

struct profile_config {
	struct common_config common;
};

struct profile_key {
	__u32 pid;
	__u32 tid;
	__s32 kernel_stack;  /* stack id, or -errno: -EFAULT means no such stack (user mode / kernel thread) */
	__s32 user_stack;
	__u32 ns[NS_SLOTS];
	__u32 generation;
	__u32 pad;
};

struct profile_value {
	__u64 count;
	struct task_ctx ctx;  /* of the first sample of the key in the interval; ctx.seq is 0 */
};

/* bashreadline: a line returned by readline() in an interactive bash. */
#define SHELL_LINE_MAX 512

struct shell_config {
	struct common_config common;
};

struct shell_record {
	struct record_hdr hdr;
	struct task_ctx ctx;
	__u64 exe_ino;    /* the shell's executable: inode and device (kernel encoding, major << 20 | minor) */
	__u32 exe_dev;
	__u32 line_len;   /* bytes in line, without NUL */
	__u32 truncated;  /* the line was longer than SHELL_LINE_MAX - 1 */
	__u32 pad;
	char line[SHELL_LINE_MAX];
};

#endif

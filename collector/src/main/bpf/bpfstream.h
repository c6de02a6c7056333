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

/* Per-CPU loss accounting of one probe: attempted == delivered + lost, checked by the collector. */
struct probe_stats {
	__u64 attempted;
	__u64 lost;       /* ring full: output failed */
	__u64 overflow;   /* bounded maps full (enter/exit pairing, histogram keys) */
	__u64 pad;
};

/* Fields every probe's load-time configuration starts with. */
struct common_config {
	__u64 wakeup_bytes;  /* force a consumer wakeup when the ring holds at least this much */
	__u32 use_perfbuf;   /* 1: emit through the perf event array instead of the BPF ring */
	__u32 self_tgid;     /* the collector's own pid: its activity is not traced */
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

#endif

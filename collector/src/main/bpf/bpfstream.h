/* The contract between the BPF programs and the collector: what every record and every probe
 * configuration starts with. Each domain's records are in their own header (task.h, files.h,
 * block.h, tcp.h, sched.h, bench.h), which includes this one. Every struct is free of implicit
 * padding (explicit pad fields), little-endian, and the Java decoders read these offsets
 * (dev.bpfstream.collector.probe.RecordLayout and the probe classes; RecordLayoutTest checks them). */
#ifndef BPFSTREAM_H
#define BPFSTREAM_H

#define TASK_COMM_LEN 16

/* Namespace slots of task_ctx.ns, in the order of the NamespaceKind Avro enum. */
enum ns_slot { NS_MNT, NS_UTS, NS_IPC, NS_PID, NS_NET, NS_USER, NS_CGROUP, NS_TIME, NS_SLOTS };

/* Record kinds, first field of every ring record. */
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

/* Log2 histograms, one layout everywhere (dev.bpfstream.schema.Log2Buckets): bucket i counts
 * values v with floor(log2(v)) == i, 0 and 1 in bucket 0. */
#define LOG2_BUCKETS 64

struct log2_hist {
	__u64 buckets[LOG2_BUCKETS];
	__u64 count;
	__u64 sum_ns;
};

#endif

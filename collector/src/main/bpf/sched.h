/* Scheduling and CPU: run-queue latency (runqlat) and length (runqlen), CPU samples (profile).
 * Nothing goes through the ring: the collector drains these maps every interval; drained maps are
 * keyed by a generation the collector flips each interval (interval.bpf.h). */
#ifndef SCHED_H
#define SCHED_H

#include "bpfstream.h"

/* runqlat: wakeup (or preemption) to running, per pid namespace and cgroup v2 id. */
struct runqlat_config {
	struct common_config common;
};

struct runq_key {
	__u64 cgroup_id;
	__u32 pidns;
	__u32 generation;
};

/* A log2 histogram over ns. In the per-generation catch-all (unattributed) `unmeasured` counts
 * wakeups that could not be timed (tracking map full). */
struct runq_hist {
	struct log2_hist hist;
	__u64 unmeasured;
};

/* runqlen: tasks waiting on this CPU's run queue at each sample (running task excluded), one
 * linear slot per queue length (not log2). */
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

#endif

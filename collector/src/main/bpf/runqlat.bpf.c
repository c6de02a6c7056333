// runqlat: run-queue latency, the time a task waits between becoming runnable (wakeup, new task,
// or preemption while still runnable) and running, as log2 histograms per pid namespace and
// cgroup, kept in the kernel and drained by the collector every interval.
#include "vmlinux.h"
#include "sched.h"

#define PROBE_CONFIG runqlat_config
#include "common.bpf.h"
#include "interval.bpf.h"
#include "log2.bpf.h"

#define TASK_RUNNING 0

/* When each runnable thread was enqueued (0: consumed). Entries are rewritten in place and
 * removed at thread exit, so the map holds about one entry per live thread. Bounded: a thread
 * that finds it full is not timed, counted in stats.overflow and unattributed.unmeasured. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32768);
	__type(key, __u32);
	__type(value, __u64);
} enqueued SEC(".maps");

/* Per CPU: no atomics and no cache line bouncing between CPUs on this hot path; the collector sums
 * the CPUs. Sized by the collector from the CPU count (memory grows with both). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct runq_key);
	__type(value, struct runq_hist);
} hists SEC(".maps");

/* One catch-all per generation parity: samples whose (pidns, cgroup) key did not fit in hists. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct runq_hist);
} unattributed SEC(".maps");

/* Kernels before 5.14 name the field `state`. */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

/* The hot path reads through the BTF pointers tp_btf hands over: plain loads, no helper calls. */
static __always_inline long task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return t->__state;
	return ((struct task_struct___pre514 *)t)->state;
}

static __always_inline struct runq_hist *catch_all(__u32 gen)
{
	__u32 slot = gen & 1;
	return bpf_map_lookup_elem(&unattributed, &slot);
}

static __always_inline void enqueue(struct task_struct *t, __u64 now)
{
	__u32 tid = t->pid;
	if (!tid)
		return; /* the idle task */
	__u64 *ts = bpf_map_lookup_elem(&enqueued, &tid);
	if (ts) {
		*ts = now;
		return;
	}
	if (bpf_map_update_elem(&enqueued, &tid, &now, BPF_NOEXIST) == 0)
		return;
	/* -EEXIST: another CPU inserted it meanwhile; anything else: full. */
	ts = bpf_map_lookup_elem(&enqueued, &tid);
	if (ts) {
		*ts = now;
		return;
	}
	count_overflow(probe_stats());
	struct runq_hist *h = catch_all(current_generation());
	if (h)
		h->unmeasured++;
}

static __always_inline void ran(struct task_struct *t, __u64 now)
{
	__u32 tid = t->pid;
	__u64 *ts = bpf_map_lookup_elem(&enqueued, &tid);
	if (!ts || !*ts)
		return;
	__u64 delta = now > *ts ? now - *ts : 0;
	*ts = 0;

	__u32 gen = current_generation();
	struct runq_key key = {
		.cgroup_id = t->cgroups->dfl_cgrp->kn->id,
		.pidns = task_pidns(t),
		.generation = gen,
	};
	struct runq_hist *h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		static const struct runq_hist zero = {};
		bpf_map_update_elem(&hists, &key, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &key);
		if (!h) {
			count_overflow(probe_stats());
			h = catch_all(gen);
			if (!h)
				return;
		}
	}
	/* This CPU's copy; programs on one CPU do not nest (preemption is off in tracepoints). */
	log2_hist_add(&h->hist, delta);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(runq_wakeup, struct task_struct *p)
{
	enqueue(p, bpf_ktime_get_ns());
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(runq_wakeup_new, struct task_struct *p)
{
	enqueue(p, bpf_ktime_get_ns());
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(runq_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();

	/* Preempted while runnable: it waits in the queue again from now. */
	if (task_state(prev) == TASK_RUNNING)
		enqueue(prev, now);
	ran(next, now);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(runq_exit, struct task_struct *p)
{
	__u32 tid = p->pid;
	bpf_map_delete_elem(&enqueued, &tid);
	return 0;
}

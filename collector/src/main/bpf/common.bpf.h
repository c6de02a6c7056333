/* Shared kernel-side helpers: the probe's load-time configuration, its output rings, loss
 * accounting and the task context every record carries.
 *
 * A probe file defines PROBE_CONFIG (its config struct, starting with struct common_config) and
 * includes this header once. The configuration is the only variable in .rodata, so the collector
 * writes it at offset 0 before load. */
#ifndef COMMON_BPF_H
#define COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpfstream.h"

#ifndef PROBE_CONFIG
#error "define PROBE_CONFIG before including common.bpf.h"
#endif

char LICENSE[] SEC("license") = "GPL";

const volatile struct PROBE_CONFIG cfg = {};

/* The BPF ring (kernels >= 5.8); the collector sizes it before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* The perf ring fallback; libbpf sizes it to the CPU count. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct probe_stats);
} stats SEC(".maps");

/* Per-CPU record under construction: records are built here, then copied to the ring in one
 * output call (variable-size records cannot be reserved). */
#define DEFINE_SCRATCH(rec)                                                     \
	struct {                                                                 \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                         \
		__uint(max_entries, 1);                                          \
		__type(key, __u32);                                              \
		__type(value, struct rec);                                      \
	} scratch SEC(".maps");                                                  \
	static __always_inline struct rec *scratch_record(void)                \
	{                                                                        \
		__u32 zero = 0;                                                  \
		return bpf_map_lookup_elem(&scratch, &zero);                     \
	}

static __always_inline struct probe_stats *probe_stats(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&stats, &zero);
}

static __always_inline bool is_self(void)
{
	return cfg.common.self_tgid && (bpf_get_current_pid_tgid() >> 32) == cfg.common.self_tgid;
}

/* Copies a finished record to the ring, counting a loss on failure: with the attempt counted by
 * begin_record, attempted == delivered + lost + rate_limited holds per CPU. Plain increments: the
 * counters are per-CPU and a probe's programs do not nest on one CPU (process context only). */
static __always_inline void emit(void *ctx, struct probe_stats *st, void *rec, __u64 size)
{
	long err;

	if (cfg.common.use_perfbuf) {
		err = bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, rec, size);
	} else {
		/* Wake the consumer only when enough is waiting; it also polls on a short timeout. */
		__u64 flags = BPF_RB_NO_WAKEUP;
		if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) + size >= cfg.common.wakeup_bytes)
			flags = BPF_RB_FORCE_WAKEUP;
		err = bpf_ringbuf_output(&events, rec, size, flags);
	}
	if (err)
		st->lost++;
}

/* A bounded map was full: the event is counted, not tracked. Atomic, unlike the other counters:
 * a program in interrupt context (a block completion, a TCP timer) can nest in another of the
 * same probe on one CPU, and this is the rare path. */
static __always_inline void count_overflow(struct probe_stats *st)
{
	if (st)
		__sync_fetch_and_add(&st->overflow, 1);
}

/* The task's own pid namespace: the one at its pid's level, not pid_ns_for_children (level 0, the
 * host's, needs no copy). */
static __always_inline __u32 task_pidns(struct task_struct *t)
{
	struct pid *pid = t->thread_pid;
	unsigned int level = pid->level;
	if (level == 0)
		return pid->numbers[0].ns->ns.inum;
	struct upid up = {};
	bpf_core_read(&up, sizeof(up), &pid->numbers[level & 31]);
	return BPF_CORE_READ(up.ns, ns.inum);
}

/* The task pointers here are BTF pointers (tp_btf arguments, bpf_get_current_task_btf()), so the
 * fields are plain loads the verifier guards (a fault reads 0), not a helper call each: the task
 * context costs ~0.2 us per event instead of ~1 us of bpf_probe_read_kernel calls. */
static __always_inline void read_namespaces(struct task_struct *t, __u32 ns[NS_SLOTS])
{
	struct nsproxy *nsp = t->nsproxy;

	if (nsp) {
		ns[NS_MNT] = nsp->mnt_ns->ns.inum;
		ns[NS_UTS] = nsp->uts_ns->ns.inum;
		ns[NS_IPC] = nsp->ipc_ns->ns.inum;
		ns[NS_NET] = nsp->net_ns->ns.inum;
		ns[NS_CGROUP] = nsp->cgroup_ns->ns.inum;
		if (bpf_core_field_exists(nsp->time_ns))
			ns[NS_TIME] = nsp->time_ns->ns.inum;
		else
			ns[NS_TIME] = 0;
	} else {
		/* The task already left its namespaces (late in exit). */
		ns[NS_MNT] = ns[NS_UTS] = ns[NS_IPC] = ns[NS_NET] = ns[NS_CGROUP] = ns[NS_TIME] = 0;
	}
	ns[NS_USER] = t->cred->user_ns->ns.inum;
	ns[NS_PID] = task_pidns(t);
}

static __always_inline void fill_task_ctx_at(struct task_ctx *c, struct task_struct *t, __u64 seq, __u64 boot_ns)
{
	c->boot_ns = boot_ns;
	c->seq = seq;
	c->cgroup_id = t->cgroups->dfl_cgrp->kn->id;
	c->pid = t->tgid;
	c->tid = t->pid;
	c->ppid = t->real_parent->tgid;
	c->uid = t->cred->uid.val;
	c->gid = t->cred->gid.val;
	c->cpu = bpf_get_smp_processor_id();
	read_namespaces(t, c->ns);
	bpf_probe_read_kernel(c->comm, sizeof(c->comm), t->comm);
}

static __always_inline void fill_task_ctx(struct task_ctx *c, struct task_struct *t, __u64 seq)
{
	fill_task_ctx_at(c, t, seq, bpf_ktime_get_boot_ns());
}

/* The probe's rate limit, a GCRA (virtual-scheduling token bucket) per CPU: an event fits when the
 * CPU's theoretical arrival time is at most rate_tolerance_ns ahead of now. Per CPU, so no atomics
 * and no shared cache line on the hot path; the collector gives each CPU an even share of the
 * probe's events/s, so the total never exceeds the limit (plus the burst), and a load confined to
 * fewer CPUs gets only their shares. A rejected event counts in rate_limited; the caller builds
 * and emits nothing, so a storm costs the kernel little more than this check. */
static __always_inline bool rate_allows(struct probe_stats *st, __u64 now)
{
	__u64 interval = cfg.common.rate_interval_ns;

	if (!interval)
		return true;
	__u64 tat = st->rate_tat_ns > now ? st->rate_tat_ns : now;
	if (tat - now > cfg.common.rate_tolerance_ns) {
		st->rate_limited++;
		return false;
	}
	st->rate_tat_ns = tat + interval;
	return true;
}

/* Starts a record: counts the attempt (its number is the record's seq), applies the rate limit and
 * fills header and task context. False: the event was rate-limited (counted), emit nothing. */
static __always_inline bool begin_record(struct record_hdr *h, struct task_ctx *c, struct probe_stats *st,
					 __u32 kind, struct task_struct *t)
{
	__u64 seq = ++st->attempted;
	__u64 now = bpf_ktime_get_boot_ns();

	if (!rate_allows(st, now))
		return false;
	h->kind = kind;
	fill_task_ctx_at(c, t, seq, now);
	return true;
}

#endif

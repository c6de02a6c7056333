// runqlen: run-queue length sampled on every CPU by a CPU-clock perf event (the collector opens
// one per CPU): how many runnable tasks wait behind the running one. Per-CPU cumulative
// histograms; the collector reads differences each interval.
#include "vmlinux.h"
#include "sched.h"

#define PROBE_CONFIG runqlen_config
#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct runqlen_hist);
} lengths SEC(".maps");

SEC("perf_event")
int runqlen_sample(struct bpf_perf_event_data *ctx)
{
	__u32 zero = 0;
	struct runqlen_hist *h = bpf_map_lookup_elem(&lengths, &zero);
	if (!h)
		return 0;
	/* The CPU's run queue through the interrupted task (the idle task too): its CFS queue points
	 * back at the rq with CONFIG_FAIR_GROUP_SCHED, as on every major distribution. The per-CPU
	 * `runqueues` variable would be direct, but needs CONFIG_KALLSYMS_ALL to resolve. */
	struct task_struct *t = (struct task_struct *)bpf_get_current_task_btf();
	if (!bpf_core_field_exists(t->se.cfs_rq))
		return 0;
	struct rq *rq = BPF_CORE_READ(t, se.cfs_rq, rq);
	if (!rq)
		return 0;
	/* nr_running counts the running task too, unless the CPU is idle (pid 0 interrupted). */
	__u64 waiting = BPF_CORE_READ(rq, nr_running);
	if ((__u32)bpf_get_current_pid_tgid() != 0 && waiting > 0)
		waiting--;
	__u32 slot = waiting < RUNQLEN_SLOTS ? waiting : RUNQLEN_SLOTS - 1;
	/* Per-CPU slot, and the sampling event does not nest with itself: plain increments. */
	h->slots[slot & (RUNQLEN_SLOTS - 1)]++;
	h->samples++;
	h->waiting_sum += waiting;
	return 0;
}

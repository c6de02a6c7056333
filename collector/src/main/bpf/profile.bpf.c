// profile: CPU samples from a CPU-clock perf event on every CPU (the collector opens them), with
// kernel and user stack ids, counted per thread, namespaces and stack pair in the kernel, drained
// and symbolized by the collector every interval. The idle task is not sampled.
#include "vmlinux.h"
#include "sched.h"

#define PROBE_CONFIG profile_config
#include "common.bpf.h"
#include "interval.bpf.h"

/* One stack map per generation parity, so a drained generation's stacks can be cleared whole
 * while the next generation fills the other. A full or colliding map gives -EEXIST/-ENOMEM ids:
 * the collector reports that stack as lost. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 8192);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, PROFILE_STACK_DEPTH * sizeof(__u64));
} stacks_even SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 8192);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, PROFILE_STACK_DEPTH * sizeof(__u64));
} stacks_odd SEC(".maps");

/* Bounded: a sample whose key does not fit is counted in stats.overflow. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct profile_key);
	__type(value, struct profile_value);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct profile_value);
} fresh SEC(".maps");

SEC("perf_event")
int profile_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	if ((__u32)id == 0)
		return 0;
	struct probe_stats *st = probe_stats();
	if (!st)
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task_btf();
	struct profile_key key = {};
	key.pid = id >> 32;
	key.tid = (__u32)id;
	key.generation = current_generation();
	if (key.generation & 1) {
		key.kernel_stack = bpf_get_stackid(ctx, &stacks_odd, 0);
		key.user_stack = bpf_get_stackid(ctx, &stacks_odd, BPF_F_USER_STACK);
	} else {
		key.kernel_stack = bpf_get_stackid(ctx, &stacks_even, 0);
		key.user_stack = bpf_get_stackid(ctx, &stacks_even, BPF_F_USER_STACK);
	}
	read_namespaces(t, key.ns);

	struct profile_value *v = bpf_map_lookup_elem(&counts, &key);
	if (!v) {
		__u32 zero = 0;
		struct profile_value *f = bpf_map_lookup_elem(&fresh, &zero);
		if (!f)
			return 0;
		f->count = 0;
		fill_task_ctx(&f->ctx, t, 0);
		bpf_map_update_elem(&counts, &key, f, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&counts, &key);
		if (!v) {
			count_overflow(st);
			return 0;
		}
	}
	__sync_fetch_and_add(&v->count, 1);
	return 0;
}

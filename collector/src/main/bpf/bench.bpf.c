// A synthetic high-rate probe for reader benchmarks and loss tests: one record per getppid()
// call of the target process (the load generator), through the same emit path as real probes.
#include "vmlinux.h"
#include "bench.h"

#define PROBE_CONFIG bench_config
#include "common.bpf.h"

DEFINE_SCRATCH(bench_record)

SEC("tracepoint/syscalls/sys_enter_getppid")
int bench_event(struct trace_event_raw_sys_enter *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != cfg.target_tgid)
		return 0;
	struct probe_stats *st = probe_stats();
	struct bench_record *r = scratch_record();
	if (!st || !r)
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task_btf();
	if (!begin_record(&r->hdr, &r->ctx, st, REC_BENCH, t))
		return 0;
	r->value = r->ctx.seq;
	r->hdr.size = sizeof(*r);
	emit(ctx, st, r, sizeof(*r));
	return 0;
}

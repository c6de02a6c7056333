// exitsnoop: process exits (thread-group leaders) with exit code, signal and lifetime.
#include "vmlinux.h"
#include "task.h"

#define PROBE_CONFIG exit_config
#include "common.bpf.h"

DEFINE_SCRATCH(exit_record)

SEC("tp_btf/sched_process_exit")
int BPF_PROG(process_exit, struct task_struct *p)
{
	if (BPF_CORE_READ(p, pid) != BPF_CORE_READ(p, tgid) || is_self())
		return 0;
	struct probe_stats *st = probe_stats();
	struct exit_record *r = scratch_record();
	if (!st || !r)
		return 0;
	if (!begin_record(&r->hdr, &r->ctx, st, REC_EXIT, p))
		return 0;
	r->start_boot_ns = BPF_CORE_READ(p, start_boottime);
	r->exit_code = BPF_CORE_READ(p, exit_code);
	r->hdr.size = sizeof(*r);
	emit(ctx, st, r, sizeof(*r));
	return 0;
}

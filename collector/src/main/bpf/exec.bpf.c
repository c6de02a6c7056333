// execsnoop: successful execs (sched_process_exec fires only for those), with argv read from the
// new image's stack and the executed file's mode and owner (setuid checks downstream).
#include "vmlinux.h"
#include "task.h"

#define PROBE_CONFIG exec_config
#include "common.bpf.h"

DEFINE_SCRATCH(exec_record)

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_done, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct probe_stats *st = probe_stats();
	struct exec_record *r = scratch_record();

	if (!st || !r || is_self())
		return 0;
	if (!begin_record(&r->hdr, &r->ctx, st, REC_EXEC, p))
		return 0;
	r->retval = 0;
	r->file_mode = BPF_CORE_READ(bprm, file, f_inode, i_mode);
	r->file_uid = BPF_CORE_READ(bprm, file, f_inode, i_uid.val);

	long n = bpf_probe_read_kernel_str(r->filename, sizeof(r->filename), BPF_CORE_READ(bprm, filename));
	r->filename_len = n > 0 ? n - 1 : 0;

	struct mm_struct *mm = BPF_CORE_READ(p, mm);
	unsigned long start = BPF_CORE_READ(mm, arg_start);
	unsigned long end = BPF_CORE_READ(mm, arg_end);
	__u64 len = end > start ? end - start : 0;
	__u64 max = cfg.args_max < EXEC_ARGS_MAX ? cfg.args_max : EXEC_ARGS_MAX - 1;
	r->args_truncated = len > max;
	if (len > max)
		len = max;
	len &= EXEC_ARGS_MAX - 1;
	if (len && bpf_probe_read_user(r->args, len, (void *)start))
		len = 0;
	r->args_len = len;

	__u64 size = offsetof(struct exec_record, args) + len;
	r->hdr.size = size;
	emit(ctx, st, r, size);
	return 0;
}

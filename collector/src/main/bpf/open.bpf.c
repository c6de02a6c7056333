// opensnoop: open/openat/openat2/creat with path, flags, mode and the fd or errno returned.
// One hook per call: at syscall exit the arguments are still in the task's saved user registers
// (x86_64 pt_regs), so no entry hook and no pairing map are needed.
#include "vmlinux.h"
#include "files.h"

#define PROBE_CONFIG open_config
#include "common.bpf.h"

DEFINE_SCRATCH(open_record)

#define O_WRONLY 01
#define O_CREAT 0100
#define O_TRUNC 01000

static __always_inline void opened(void *ctx, long ret, __u32 syscall)
{
	if ((cfg.failed_only && ret >= 0) || is_self())
		return;
	struct probe_stats *st = probe_stats();
	struct open_record *r = scratch_record();
	if (!st || !r)
		return;
	struct task_struct *t = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	const char *path;
	__u64 flags;
	__u32 mode;

	if (syscall == OSC_OPEN) {
		path = (const char *)regs->di;
		flags = regs->si;
		mode = regs->dx;
	} else if (syscall == OSC_CREAT) {
		path = (const char *)regs->di;
		flags = O_CREAT | O_WRONLY | O_TRUNC;
		mode = regs->si;
	} else if (syscall == OSC_OPENAT) {
		path = (const char *)regs->si;
		flags = regs->dx;
		mode = regs->r10;
	} else {
		/* openat2(dfd, path, struct open_how *how, size): flags and mode are the first two u64s. */
		__u64 how[2] = {};
		path = (const char *)regs->si;
		bpf_probe_read_user(how, sizeof(how), (void *)regs->dx);
		flags = how[0];
		mode = how[1];
	}

	if (!begin_record(&r->hdr, &r->ctx, st, REC_OPEN, t))
		return;
	r->ret = ret;
	r->flags = flags;
	r->mode = mode;
	r->syscall = syscall;

	__u32 max = cfg.path_max;
	if (max > OPEN_PATH_MAX)
		max = OPEN_PATH_MAX;
	if (max < 2)
		max = 2;
	long n = bpf_probe_read_user_str(r->path, max, path);
	__u32 len = n > 0 ? n - 1 : 0;
	r->path_truncated = n == max;
	len &= OPEN_PATH_MAX - 1;
	r->path_len = len;
	r->pad = 0;

	__u64 size = offsetof(struct open_record, path) + len;
	r->hdr.size = size;
	emit(ctx, st, r, size);
}

SEC("tracepoint/syscalls/sys_exit_open")
int open_exit(struct trace_event_raw_sys_exit *ctx)
{
	opened(ctx, ctx->ret, OSC_OPEN);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int openat_exit(struct trace_event_raw_sys_exit *ctx)
{
	opened(ctx, ctx->ret, OSC_OPENAT);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat2")
int openat2_exit(struct trace_event_raw_sys_exit *ctx)
{
	opened(ctx, ctx->ret, OSC_OPENAT2);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_creat")
int creat_exit(struct trace_event_raw_sys_exit *ctx)
{
	opened(ctx, ctx->ret, OSC_CREAT);
	return 0;
}

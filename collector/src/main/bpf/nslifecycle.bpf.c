// Namespace lifecycle: unshare and setns compared before/after the call; clone and clone3 seen at
// sched_process_fork by comparing the child's namespaces with its parent's, so a namespace appears
// the moment it is created or entered.
#include "vmlinux.h"
#include "task.h"

#define PROBE_CONFIG nslifecycle_config
#include "common.bpf.h"

#define CLONE_NEW_MASK (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET | \
			CLONE_NEWUSER | CLONE_NEWCGROUP | CLONE_NEWTIME)
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#define CLONE_NEWNS 0x00020000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000

DEFINE_SCRATCH(ns_change_record)

/* Names are read kernel-side: a short-lived namespace may be gone before user space could look. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct uts_name_record);
} uts_scratch SEC(".maps");

struct pending_call {
	__u64 flags;
	__u32 syscall;
	__u32 ns[NS_SLOTS];
	__u32 pad;
};

/* Calls between syscall entry and exit, by thread id. Bounded: a full map is counted. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct pending_call);
} pending SEC(".maps");

static __always_inline void remember(__u32 syscall, __u64 flags)
{
	struct pending_call c = { .flags = flags, .syscall = syscall };
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	read_namespaces((struct task_struct *)bpf_get_current_task_btf(), c.ns);
	if (bpf_map_update_elem(&pending, &tid, &c, BPF_ANY))
		count_overflow(probe_stats());
}

static __always_inline void complete(void *ctx, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending_call *c = bpf_map_lookup_elem(&pending, &tid);
	if (!c)
		return;
	struct probe_stats *st = probe_stats();
	struct ns_change_record *r = scratch_record();
	struct task_struct *t = (struct task_struct *)bpf_get_current_task_btf();
	if (st && r && !is_self() && begin_record(&r->hdr, &r->ctx, st, REC_NS_CHANGE, t)) {
		read_namespaces(t, r->after_ns);
		__builtin_memcpy(r->ctx.ns, c->ns, sizeof(r->ctx.ns));
		r->flags = c->flags;
		r->syscall = c->syscall;
		r->retval = ret;
		r->child_pid = 0;
		r->hdr.size = sizeof(*r);
		emit(ctx, st, r, sizeof(*r));
	}
	bpf_map_delete_elem(&pending, &tid);
}

SEC("tracepoint/syscalls/sys_enter_unshare")
int unshare_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u64 flags = ctx->args[0];
	if (flags & CLONE_NEW_MASK)
		remember(NSC_UNSHARE, flags);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_unshare")
int unshare_exit(struct trace_event_raw_sys_exit *ctx)
{
	complete(ctx, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_setns")
int setns_enter(struct trace_event_raw_sys_enter *ctx)
{
	remember(NSC_SETNS, ctx->args[1]);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_setns")
int setns_exit(struct trace_event_raw_sys_exit *ctx)
{
	complete(ctx, ctx->ret);
	return 0;
}

/* clone flags by parent thread, so the fork hook can say which call and flags made the child. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, __u64);
} clone_flags SEC(".maps");

static __always_inline void remember_clone(__u64 flags, __u32 syscall)
{
	if (!(flags & CLONE_NEW_MASK))
		return;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 v = flags | ((__u64)syscall << 62);
	bpf_map_update_elem(&clone_flags, &tid, &v, BPF_ANY);
}

SEC("tracepoint/syscalls/sys_enter_clone")
int clone_enter(struct trace_event_raw_sys_enter *ctx)
{
	remember_clone(ctx->args[0], NSC_CLONE);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_clone3")
int clone3_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u64 flags = 0;
	/* struct clone_args starts with the flags. */
	bpf_probe_read_user(&flags, sizeof(flags), (void *)ctx->args[0]);
	remember_clone(flags, NSC_CLONE3);
	return 0;
}

static __always_inline void forget_clone(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_delete_elem(&clone_flags, &tid);
}

SEC("tracepoint/syscalls/sys_exit_clone")
int clone_exit(struct trace_event_raw_sys_exit *ctx)
{
	forget_clone();
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_clone3")
int clone3_exit(struct trace_event_raw_sys_exit *ctx)
{
	forget_clone();
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(forked, struct task_struct *parent, struct task_struct *child)
{
	__u32 before[NS_SLOTS], after[NS_SLOTS];
	read_namespaces(parent, before);
	read_namespaces(child, after);

	bool changed = false;
	for (int i = 0; i < NS_SLOTS; i++)
		changed |= before[i] != after[i];
	if (!changed || is_self())
		return 0;

	struct probe_stats *st = probe_stats();
	struct ns_change_record *r = scratch_record();
	if (!st || !r)
		return 0;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *v = bpf_map_lookup_elem(&clone_flags, &tid);
	__u64 flags = v ? *v : 0;

	if (!begin_record(&r->hdr, &r->ctx, st, REC_NS_CHANGE, parent))
		return 0;
	__builtin_memcpy(r->ctx.ns, before, sizeof(before));
	__builtin_memcpy(r->after_ns, after, sizeof(after));
	r->syscall = flags >> 62;
	r->flags = flags & ~(3ULL << 62);
	r->child_pid = BPF_CORE_READ(child, tgid);
	r->retval = r->child_pid;
	r->hdr.size = sizeof(*r);
	emit(ctx, st, r, sizeof(*r));
	return 0;
}

static __always_inline void uts_renamed(void *ctx, long ret)
{
	if (ret != 0 || is_self())
		return;
	__u32 zero = 0;
	struct probe_stats *st = probe_stats();
	struct uts_name_record *r = bpf_map_lookup_elem(&uts_scratch, &zero);
	if (!st || !r)
		return;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task_btf();
	if (!begin_record(&r->hdr, &r->ctx, st, REC_UTS_NAME, t))
		return;
	struct uts_namespace *uts = BPF_CORE_READ(t, nsproxy, uts_ns);
	BPF_CORE_READ_STR_INTO(&r->nodename, uts, name.nodename);
	BPF_CORE_READ_STR_INTO(&r->domainname, uts, name.domainname);
	r->hdr.size = sizeof(*r);
	emit(ctx, st, r, sizeof(*r));
}

SEC("tracepoint/syscalls/sys_exit_sethostname")
int sethostname_exit(struct trace_event_raw_sys_exit *ctx)
{
	uts_renamed(ctx, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_setdomainname")
int setdomainname_exit(struct trace_event_raw_sys_exit *ctx)
{
	uts_renamed(ctx, ctx->ret);
	return 0;
}

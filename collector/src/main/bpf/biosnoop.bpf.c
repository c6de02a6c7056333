// biosnoop: every block request from its start to completion: device, sector, bytes, op, queue
// time (insert -> issue) and service time (issue -> completion), and the task that started it
// (block_io_start runs in the submitter's context). In-flight requests are tracked by request
// pointer in a bounded map; a full map is counted as overflow, never silent.
#include "vmlinux.h"
#include "block.h"

#define PROBE_CONFIG biosnoop_config
#include "common.bpf.h"
#include "block.bpf.h"

DEFINE_SCRATCH(block_io_record)

struct inflight {
	__u64 insert_ns;
	__u64 issue_ns;
	__u32 task_known;
	__u32 pad;
	struct task_ctx task;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct request *);
	__type(value, struct inflight);
} inflight SEC(".maps");

/* A zeroed value to insert from: struct inflight is too large for comfort on the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct inflight);
} blank SEC(".maps");

static __always_inline struct inflight *track(struct request *rq)
{
	struct inflight *v = bpf_map_lookup_elem(&inflight, &rq);
	if (v)
		return v;
	__u32 zero = 0;
	struct inflight *b = bpf_map_lookup_elem(&blank, &zero);
	if (!b)
		return NULL;
	__builtin_memset(b, 0, sizeof(*b));
	if (bpf_map_update_elem(&inflight, &rq, b, BPF_NOEXIST) && bpf_map_update_elem(&inflight, &rq, b, BPF_ANY)) {
		count_overflow(probe_stats());
		return NULL;
	}
	return bpf_map_lookup_elem(&inflight, &rq);
}

static __always_inline void remember_task(struct inflight *v)
{
	if (v->task_known)
		return;
	struct task_struct *t = bpf_get_current_task_btf();
	/* Kernel threads (kworker, jbd2 flushes) issue on behalf of nobody in particular: keep them too,
	 * they are the best answer the kernel has. */
	fill_task_ctx(&v->task, t, 0);
	v->task_known = 1;
}

SEC("tp_btf/block_io_start")
int BPF_PROG(io_start, struct request *rq)
{
	struct inflight *v = track(rq);
	if (v) {
		v->task_known = 0;
		v->insert_ns = 0;
		v->issue_ns = 0;
		remember_task(v);
	}
	return 0;
}

SEC("tp_btf/block_rq_insert")
int BPF_PROG(rq_insert, struct request *rq)
{
	struct inflight *v = track(rq);
	if (v) {
		v->insert_ns = bpf_ktime_get_ns();
		remember_task(v);
	}
	return 0;
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(rq_issue, struct request *rq)
{
	struct inflight *v = track(rq);
	if (v) {
		v->issue_ns = bpf_ktime_get_ns();
		remember_task(v);
	}
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(rq_complete, struct request *rq, blk_status_t error, unsigned int nr_bytes)
{
	struct inflight *v = bpf_map_lookup_elem(&inflight, &rq);
	if (!v)
		return 0;
	__u64 now = bpf_ktime_get_ns();
	struct probe_stats *st = probe_stats();
	struct block_io_record *r = scratch_record();
	if (st && r && v->issue_ns && begin_record(&r->hdr, &r->ctx, st, REC_BLOCK_IO, bpf_get_current_task_btf())) {
		if (v->task_known) {
			__u64 boot = r->ctx.boot_ns, seq = r->ctx.seq;
			__builtin_memcpy(&r->ctx, &v->task, sizeof(r->ctx));
			r->ctx.boot_ns = boot;
			r->ctx.seq = seq;
		}
		__u32 cmd = BPF_CORE_READ(rq, cmd_flags);
		struct gendisk *disk = BPF_CORE_READ(rq, q, disk);
		r->sector = BPF_CORE_READ(rq, __sector);
		r->queue_ns = v->insert_ns && v->issue_ns > v->insert_ns ? v->issue_ns - v->insert_ns : 0;
		r->service_ns = now - v->issue_ns;
		r->bytes = nr_bytes;
		r->major = disk ? BPF_CORE_READ(disk, major) : 0;
		r->minor = disk ? BPF_CORE_READ(disk, first_minor) : 0;
		r->op = block_op(cmd);
		r->flags = block_flags(cmd);
		r->status = error;
		r->task_known = v->task_known;
		r->pad = 0;
		if (!disk || bpf_probe_read_kernel_str(r->disk, sizeof(r->disk), disk->disk_name) < 0)
			r->disk[0] = 0;
		r->hdr.size = sizeof(*r);
		emit(ctx, st, r, sizeof(*r));
	}
	/* A partial completion leaves the rest of the request in flight. */
	if (nr_bytes >= BPF_CORE_READ(rq, __data_len))
		bpf_map_delete_elem(&inflight, &rq);
	return 0;
}

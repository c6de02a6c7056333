// biolatency: block I/O latency as in-kernel log2 histograms (the Log2Buckets layout) per disk,
// operation and stage (SERVICE: issue -> completion; QUEUE: insert -> issue). Nothing goes through
// the ring: the collector reads the cumulative per-CPU histograms every interval and sends the
// difference. In-flight requests and histogram keys live in bounded maps; a full map is overflow.
#include "vmlinux.h"
#include "block.h"

#define PROBE_CONFIG biolatency_config
#include "common.bpf.h"
#include "block.bpf.h"
#include "log2.bpf.h"

struct times {
	__u64 insert_ns;
	__u64 issue_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct request *);
	__type(value, struct times);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct bio_hist_key);
	__type(value, struct log2_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct log2_hist);
} blank SEC(".maps");

static __always_inline void record(struct request *rq, __u32 stage, __u64 ns)
{
	struct bio_hist_key k = {
		.dev = block_dev(rq),
		.op = block_op(BPF_CORE_READ(rq, cmd_flags)),
		.stage = stage,
	};
	struct log2_hist *h = bpf_map_lookup_elem(&hists, &k);
	if (!h) {
		__u32 zero = 0;
		struct log2_hist *b = bpf_map_lookup_elem(&blank, &zero);
		if (!b)
			return;
		if (bpf_map_update_elem(&hists, &k, b, BPF_NOEXIST) && bpf_map_lookup_elem(&hists, &k) == NULL) {
			count_overflow(probe_stats());
			return;
		}
		h = bpf_map_lookup_elem(&hists, &k);
		if (!h)
			return;
	}
	log2_hist_add(h, ns);
}

static __always_inline struct times *track(struct request *rq)
{
	struct times *v = bpf_map_lookup_elem(&inflight, &rq);
	if (v)
		return v;
	struct times zero = {};
	if (bpf_map_update_elem(&inflight, &rq, &zero, BPF_NOEXIST) && bpf_map_lookup_elem(&inflight, &rq) == NULL) {
		count_overflow(probe_stats());
		return NULL;
	}
	return bpf_map_lookup_elem(&inflight, &rq);
}

SEC("tp_btf/block_io_start")
int BPF_PROG(io_start, struct request *rq)
{
	struct times *v = track(rq);
	if (v) {
		v->insert_ns = 0;
		v->issue_ns = 0;
	}
	return 0;
}

SEC("tp_btf/block_rq_insert")
int BPF_PROG(rq_insert, struct request *rq)
{
	struct times *v = track(rq);
	if (v)
		v->insert_ns = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(rq_issue, struct request *rq)
{
	struct times *v = track(rq);
	if (!v)
		return 0;
	v->issue_ns = bpf_ktime_get_ns();
	if (cfg.queue_stage && v->insert_ns && v->issue_ns > v->insert_ns)
		record(rq, BST_QUEUE, v->issue_ns - v->insert_ns);
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(rq_complete, struct request *rq, blk_status_t error, unsigned int nr_bytes)
{
	struct times *v = bpf_map_lookup_elem(&inflight, &rq);
	if (!v)
		return 0;
	/* One request is one I/O: counted once, at its final completion. */
	if (nr_bytes < BPF_CORE_READ(rq, __data_len))
		return 0;
	if (v->issue_ns)
		record(rq, BST_SERVICE, bpf_ktime_get_ns() - v->issue_ns);
	bpf_map_delete_elem(&inflight, &rq);
	return 0;
}

// cachestat: page-cache activity per cgroup, from tracepoints only (no kprobe on
// mark_page_accessed here). Exact: pages added (misses), folios dirtied, pages removed (evicted).
// Estimated: accesses = pages that buffered reads asked for (filemap_get_pages, counted once per
// read and clamped to the file size) plus file page faults; the collector derives hits from them.
// Counters are cumulative per-CPU values; the collector sends each interval's difference.
#include "vmlinux.h"
#include "files.h"

#define PROBE_CONFIG cachestat_config
#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct cache_counts);
} counts SEC(".maps");

/* The read a task is in: filemap_get_pages fires once per folio batch with the whole request range. */
struct read_request {
	const void *mapping;
	__u64 index;
	__u64 last;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct read_request);
} reads SEC(".maps");

static __always_inline struct cache_counts *counters(void)
{
	__u64 cg = cfg.per_cgroup ? bpf_get_current_cgroup_id() : 0;
	struct cache_counts *c = bpf_map_lookup_elem(&counts, &cg);
	if (c)
		return c;
	struct cache_counts zero = {};
	if (bpf_map_update_elem(&counts, &cg, &zero, BPF_NOEXIST) && !bpf_map_lookup_elem(&counts, &cg)) {
		count_overflow(probe_stats());
		return NULL;
	}
	return bpf_map_lookup_elem(&counts, &cg);
}

static __always_inline __u64 pages_of(struct trace_event_raw_mm_filemap_op_page_cache *ctx)
{
	if (bpf_core_field_exists(ctx->order))
		return 1ULL << (BPF_CORE_READ(ctx, order) & 31);
	return 1;
}

SEC("tracepoint/filemap/mm_filemap_add_to_page_cache")
int page_added(struct trace_event_raw_mm_filemap_op_page_cache *ctx)
{
	struct cache_counts *c = counters();
	if (c)
		c->misses += pages_of(ctx);
	return 0;
}

SEC("tracepoint/filemap/mm_filemap_delete_from_page_cache")
int page_removed(struct trace_event_raw_mm_filemap_op_page_cache *ctx)
{
	struct cache_counts *c = counters();
	if (c)
		c->evicted += pages_of(ctx);
	return 0;
}

SEC("tracepoint/writeback/writeback_dirty_folio")
int folio_dirtied(void *ctx)
{
	struct cache_counts *c = counters();
	if (c)
		c->dirtied++;
	return 0;
}

SEC("tracepoint/filemap/mm_filemap_fault")
int file_fault(void *ctx)
{
	struct cache_counts *c = counters();
	if (c)
		c->accesses++;
	return 0;
}

SEC("tp_btf/mm_filemap_get_pages")
int BPF_PROG(read_pages, struct address_space *mapping, unsigned long index, unsigned long last)
{
	struct read_request *q = bpf_task_storage_get(&reads, bpf_get_current_task_btf(), 0,
						      BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (q && q->mapping == mapping && q->last == last && index > q->index) {
		q->index = index; /* the next batch of a read already counted */
		return 0;
	}
	if (q) {
		q->mapping = mapping;
		q->index = index;
		q->last = last;
	}
	__s64 size = BPF_CORE_READ(mapping, host, i_size);
	if (size <= 0)
		return 0;
	__u64 end = (size - 1) >> 12; /* PAGE_SHIFT on x86_64 */
	if (last < end)
		end = last;
	if (end < index)
		return 0;
	struct cache_counts *c = counters();
	if (c)
		c->accesses += end - index + 1;
	return 0;
}

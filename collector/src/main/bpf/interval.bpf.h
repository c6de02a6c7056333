/* Lossless interval drains of in-kernel maps: keys carry the generation current when the sample
 * was taken. Each interval the collector flips the generation, waits for programs already running
 * to finish (they run with preemption off, microseconds), then reads and deletes every key of an
 * older generation while new samples go to the new one. Include after common.bpf.h. */
#ifndef INTERVAL_BPF_H
#define INTERVAL_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} generation SEC(".maps");

static __always_inline __u32 current_generation(void)
{
	__u32 zero = 0;
	__u32 *g = bpf_map_lookup_elem(&generation, &zero);
	return g ? *g : 0;
}

#endif

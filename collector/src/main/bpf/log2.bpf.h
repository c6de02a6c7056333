/* Log2 histograms kernel-side, in the one layout of bpfstream.h (struct log2_hist). */
#ifndef LOG2_BPF_H
#define LOG2_BPF_H

/* floor(log2(v)), 0 and 1 both in bucket 0: at most 63, so every u64 has a bucket. Branchless. */
static __always_inline __u32 log2_bucket(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xFFFFFFFFULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

/* Adds one value of ns to h. Plain adds: callers keep h per CPU, and a program does not nest on
 * its own CPU. */
static __always_inline void log2_hist_add(struct log2_hist *h, __u64 ns)
{
	h->buckets[log2_bucket(ns) & (LOG2_BUCKETS - 1)]++;
	h->count++;
	h->sum_ns += ns;
}

#endif

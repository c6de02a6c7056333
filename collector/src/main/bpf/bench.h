/* The bench probe: a synthetic high-rate record for reader benchmarks and loss tests. */
#ifndef BENCH_H
#define BENCH_H

#include "bpfstream.h"

struct bench_config {
	struct common_config common;
	__u32 target_tgid;
	__u32 pad;
};

struct bench_record {
	struct record_hdr hdr;
	struct task_ctx ctx;
	__u64 value;
};

#endif

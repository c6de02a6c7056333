/* Block request helpers shared by biosnoop and biolatency: op and flags normalized across kernels. */
#ifndef BLOCK_BPF_H
#define BLOCK_BPF_H

static __always_inline __u32 block_op(__u32 cmd_flags)
{
	switch (cmd_flags & 0xff) { /* REQ_OP_MASK: the low REQ_OP_BITS (8) bits */
	case REQ_OP_READ:
		return BOP_READ;
	case REQ_OP_WRITE:
		return BOP_WRITE;
	case REQ_OP_FLUSH:
		return BOP_FLUSH;
	case REQ_OP_DISCARD:
		return BOP_DISCARD;
	case REQ_OP_SECURE_ERASE:
		return BOP_SECURE_ERASE;
	case REQ_OP_WRITE_ZEROES:
		return BOP_WRITE_ZEROES;
	default:
		return BOP_OTHER;
	}
}

static __always_inline __u32 block_flags(__u32 cmd_flags)
{
	__u32 out = 0;
	if (cmd_flags & (1U << bpf_core_enum_value(enum req_flag_bits, __REQ_SYNC)))
		out |= BF_SYNC;
	if (cmd_flags & (1U << bpf_core_enum_value(enum req_flag_bits, __REQ_META)))
		out |= BF_META;
	if (cmd_flags & (1U << bpf_core_enum_value(enum req_flag_bits, __REQ_FUA)))
		out |= BF_FUA;
	if (cmd_flags & (1U << bpf_core_enum_value(enum req_flag_bits, __REQ_PREFLUSH)))
		out |= BF_PREFLUSH;
	if (cmd_flags & (1U << bpf_core_enum_value(enum req_flag_bits, __REQ_RAHEAD)))
		out |= BF_RAHEAD;
	return out;
}

/* The request's disk as a kernel dev_t ((major << 20) | first minor), 0 when it has none. */
static __always_inline __u32 block_dev(struct request *rq)
{
	struct gendisk *disk = BPF_CORE_READ(rq, q, disk);
	if (!disk)
		return 0;
	return ((__u32)BPF_CORE_READ(disk, major) << 20) | BPF_CORE_READ(disk, first_minor);
}

#endif

/* TCP socket helpers shared by the tcp and tcpretrans probes. */
#ifndef TCP_BPF_H
#define TCP_BPF_H

#include <bpf/bpf_endian.h>

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6

/* Family, addresses and ports of a socket (full, request or timewait: all share sock_common). */
static __always_inline void sock_addrs(struct tcp_record *r, const struct sock *sk)
{
	__builtin_memset(r->saddr, 0, sizeof(r->saddr));
	__builtin_memset(r->daddr, 0, sizeof(r->daddr));
	r->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	r->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	/* A full socket on its way to CLOSE has already given its port back (inet_num 0): its
	 * inet_sport keeps it. Timewait and request sockets have no inet_sport but keep skc_num. */
	__u8 state = BPF_CORE_READ(sk, __sk_common.skc_state);
	if (!r->sport && state != TCP_TIME_WAIT && state != TCP_NEW_SYN_RECV)
		r->sport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	r->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (r->family == AF_INET) {
		bpf_core_read(r->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(r->daddr, 4, &sk->__sk_common.skc_daddr);
	} else {
		bpf_core_read(r->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(r->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

/* Starts a TCP record in the current context; the caller may replace ctx with a known owner.
 * NULL: rate-limited (counted), emit nothing. */
static __always_inline struct tcp_record *begin_tcp(struct probe_stats *st, struct tcp_record *r, __u32 type,
						    __u32 state)
{
	if (!begin_record(&r->hdr, &r->ctx, st, REC_TCP, bpf_get_current_task_btf()))
		return NULL;
	r->type = type;
	r->state = state;
	r->task_known = 0;
	r->connect_latency_ns = 0;
	r->lifetime_ns = 0;
	r->bytes_sent = 0;
	r->bytes_received = 0;
	r->reset_reason = 0;
	r->hdr.size = sizeof(*r);
	return r;
}

/* Replaces the record's task with an owner remembered earlier (keeps time and sequence). */
static __always_inline void set_owner(struct tcp_record *r, const struct task_ctx *owner)
{
	__u64 boot = r->ctx.boot_ns, seq = r->ctx.seq;
	__builtin_memcpy(&r->ctx, owner, sizeof(r->ctx));
	r->ctx.boot_ns = boot;
	r->ctx.seq = seq;
	r->task_known = 1;
}

#endif

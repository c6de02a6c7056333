// tcpretrans and TCP resets: tcp_retransmit_skb, tcp_send_reset and tcp_receive_reset, with
// addresses, ports and state. These run in softirq or timer context, so the task is the context
// the kernel ran in (task_known 0); the tcp probe's CONNECT/ACCEPT carry the owner of a 4-tuple.
#include "vmlinux.h"
#include "tcp.h"

#define PROBE_CONFIG tcpretrans_config
#include "common.bpf.h"
#include "tcp.bpf.h"

DEFINE_SCRATCH(tcp_record)

static __always_inline void sock_event(void *ctx, const struct sock *sk, __u32 type, __u32 reason)
{
	struct probe_stats *st = probe_stats();
	struct tcp_record *r = scratch_record();
	if (!st || !r || !sk)
		return;
	if (!begin_tcp(st, r, type, BPF_CORE_READ(sk, __sk_common.skc_state)))
		return;
	r->reset_reason = reason;
	sock_addrs(r, sk);
	emit(ctx, st, r, sizeof(*r));
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(retransmit, const struct sock *sk, const struct sk_buff *skb)
{
	sock_event(ctx, sk, TCPE_RETRANSMIT, 0);
	return 0;
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(receive_reset, struct sock *sk)
{
	sock_event(ctx, sk, TCPE_RECEIVE_RESET, 0);
	return 0;
}

/* A reset sent for no socket answers a packet: its 4-tuple is the packet's, reversed. */
static __always_inline void packet_addrs(struct tcp_record *r, const struct sk_buff *skb)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 th = BPF_CORE_READ(skb, transport_header);
	__u8 version = 0;
	struct tcphdr tcp = {};

	__builtin_memset(r->saddr, 0, sizeof(r->saddr));
	__builtin_memset(r->daddr, 0, sizeof(r->daddr));
	bpf_probe_read_kernel(&version, 1, head + nh);
	version >>= 4;
	if (version == 4) {
		struct iphdr ip = {};
		bpf_probe_read_kernel(&ip, sizeof(ip), head + nh);
		__builtin_memcpy(r->saddr, &ip.daddr, 4);
		__builtin_memcpy(r->daddr, &ip.saddr, 4);
		r->family = AF_INET;
	} else {
		struct ipv6hdr ip = {};
		bpf_probe_read_kernel(&ip, sizeof(ip), head + nh);
		__builtin_memcpy(r->saddr, &ip.daddr, 16);
		__builtin_memcpy(r->daddr, &ip.saddr, 16);
		r->family = AF_INET6;
	}
	bpf_probe_read_kernel(&tcp, sizeof(tcp), head + th);
	r->sport = bpf_ntohs(tcp.dest);
	r->dport = bpf_ntohs(tcp.source);
}

SEC("tp_btf/tcp_send_reset")
int BPF_PROG(send_reset, const struct sock *sk, const struct sk_buff *skb, const enum sk_rst_reason reason)
{
	if (sk) {
		sock_event(ctx, sk, TCPE_SEND_RESET, reason);
		return 0;
	}
	if (!skb)
		return 0;
	struct probe_stats *st = probe_stats();
	struct tcp_record *r = scratch_record();
	if (!st || !r)
		return 0;
	if (!begin_tcp(st, r, TCPE_SEND_RESET, 0))
		return 0;
	r->reset_reason = reason;
	packet_addrs(r, skb);
	emit(ctx, st, r, sizeof(*r));
	return 0;
}

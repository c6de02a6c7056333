// tcpconnect / tcpaccept / tcplife from sock:inet_sock_set_state: active opens (SYN_SENT ->
// ESTABLISHED, with the connect latency), passive opens (at accept()/accept4() return, where the
// accepting task is known), and closes with lifetime and bytes sent (acked) / received. The owner
// of a socket is remembered when a task is known (connect, accept), because later state changes
// run in softirq context on behalf of nobody in particular.
#include "vmlinux.h"
#include "tcp.h"

#define PROBE_CONFIG tcp_config
#include "common.bpf.h"
#include "files.bpf.h"
#include "tcp.bpf.h"

DEFINE_SCRATCH(tcp_record)

struct sock_info {
	__u64 birth_ns;
	__u64 syn_sent_ns;
	__u32 owner_known;
	__u32 ignore;          /* the collector's own socket */
	struct task_ctx owner;
};

/* LRU: a socket whose close was never seen (or one older than the probe) cannot pin an entry. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, const struct sock *);
	__type(value, struct sock_info);
} socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sock_info);
} blank SEC(".maps");

static __always_inline struct sock_info *born(const struct sock *sk, __u64 now)
{
	__u32 zero = 0;
	struct sock_info *b = bpf_map_lookup_elem(&blank, &zero);
	if (!b)
		return NULL;
	__builtin_memset(b, 0, sizeof(*b));
	b->birth_ns = now;
	if (bpf_map_update_elem(&socks, &sk, b, BPF_ANY)) {
		count_overflow(probe_stats());
		return NULL;
	}
	return bpf_map_lookup_elem(&socks, &sk);
}

static __always_inline void adopt(struct sock_info *info)
{
	if (is_self()) {
		info->ignore = 1;
		return;
	}
	fill_task_ctx(&info->owner, bpf_get_current_task_btf(), 0);
	info->owner_known = 1;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(set_state, const struct sock *sk, const int oldstate, const int newstate)
{
	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	__u64 now = bpf_ktime_get_ns();
	struct sock_info *info;

	if (newstate == TCP_SYN_SENT) {
		/* connect() itself: the calling task owns the socket. */
		info = born(sk, now);
		if (info) {
			info->syn_sent_ns = now;
			adopt(info);
		}
		return 0;
	}
	if (newstate == TCP_SYN_RECV) {
		/* A passive child socket, made in softirq: its owner is known at accept(). */
		born(sk, now);
		return 0;
	}
	bool connected = newstate == TCP_ESTABLISHED && oldstate == TCP_SYN_SENT;
	bool closed = newstate == TCP_CLOSE && oldstate != TCP_LISTEN && oldstate != TCP_CLOSE;
	if (!connected && !closed)
		return 0;

	info = bpf_map_lookup_elem(&socks, &sk);
	if (info && info->ignore) {
		if (closed)
			bpf_map_delete_elem(&socks, &sk);
		return 0;
	}
	struct probe_stats *st = probe_stats();
	struct tcp_record *r = scratch_record();
	if (!st || !r)
		return 0;
	if (!begin_tcp(st, r, connected ? TCPE_CONNECT : TCPE_CLOSE, connected ? newstate : oldstate)) {
		if (closed && info)
			bpf_map_delete_elem(&socks, &sk);
		return 0;
	}
	if (connected) {
		if (info) {
			r->connect_latency_ns = now - info->syn_sent_ns;
			if (info->owner_known)
				set_owner(r, &info->owner);
		}
	} else {
		/* Payload only: bytes_sent counts data segments transmitted (retransmits too, hence the
		 * subtraction); bytes_received counts rcv_nxt advances, which include the peer's FIN. */
		const struct tcp_sock *tp = (const struct tcp_sock *)sk;
		r->bytes_sent = BPF_CORE_READ(tp, bytes_sent) - BPF_CORE_READ(tp, bytes_retrans);
		r->bytes_received = BPF_CORE_READ(tp, bytes_received);
		unsigned long flags = BPF_CORE_READ(sk, __sk_common.skc_flags);
		if (r->bytes_received && (flags & (1UL << bpf_core_enum_value(enum sock_flags, SOCK_DONE))))
			r->bytes_received--;
		if (info) {
			r->lifetime_ns = info->birth_ns ? now - info->birth_ns : 0;
			if (info->owner_known)
				set_owner(r, &info->owner);
		}
	}
	sock_addrs(r, sk);
	emit(ctx, st, r, sizeof(*r));
	if (closed && info)
		bpf_map_delete_elem(&socks, &sk);
	return 0;
}

/* accept()/accept4() returned fd: the socket behind it, now owned by this task. */
static __always_inline void accepted(void *ctx, long fd)
{
	if (fd < 0)
		return;
	struct task_struct *t = bpf_get_current_task_btf();
	struct file *f = fd_file(t, fd);
	if (!f || (file_mode(f) & S_IFMT) != S_IFSOCK)
		return;
	struct socket *sock = BPF_CORE_READ(f, private_data);
	const struct sock *sk = BPF_CORE_READ(sock, sk);
	if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return;
	struct sock_info *info = bpf_map_lookup_elem(&socks, &sk);
	if (!info)
		info = born(sk, 0);
	if (info)
		adopt(info);
	if (is_self())
		return;
	struct probe_stats *st = probe_stats();
	struct tcp_record *r = scratch_record();
	if (!st || !r)
		return;
	if (!begin_tcp(st, r, TCPE_ACCEPT, BPF_CORE_READ(sk, __sk_common.skc_state)))
		return;
	r->task_known = 1;
	sock_addrs(r, sk);
	emit(ctx, st, r, sizeof(*r));
}

SEC("tracepoint/syscalls/sys_exit_accept")
int accept_exit(struct trace_event_raw_sys_exit *ctx)
{
	accepted(ctx, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int accept4_exit(struct trace_event_raw_sys_exit *ctx)
{
	accepted(ctx, ctx->ret);
	return 0;
}

/* Records of TCP: connects, accepts and closes (tcp), retransmits and resets (tcpretrans). */
#ifndef TCP_H
#define TCP_H

#include "bpfstream.h"

/* Ordinals of the TcpEventType Avro enum. */
enum tcp_event_type { TCPE_CONNECT = 0, TCPE_ACCEPT, TCPE_CLOSE, TCPE_RETRANSMIT, TCPE_SEND_RESET,
		      TCPE_RECEIVE_RESET };

struct tcp_config {
	struct common_config common;
};

struct tcp_record {
	struct record_hdr hdr;
	struct task_ctx ctx;  /* the owning task when task_known, else the context the kernel ran in */
	__u64 connect_latency_ns;
	__u64 lifetime_ns;    /* 0 when the socket's start was not seen */
	__u64 bytes_sent;     /* payload sent once (tcp_sock bytes_sent - bytes_retrans) */
	__u64 bytes_received; /* payload received (tcp_sock bytes_received, without the peer's FIN) */
	__u8 saddr[16];       /* IPv4 in the first 4 bytes */
	__u8 daddr[16];
	__u16 sport;          /* host byte order */
	__u16 dport;
	__u16 family;         /* AF_INET or AF_INET6 */
	__u8 type;            /* enum tcp_event_type */
	__u8 task_known;
	__u32 state;          /* TCP state at the event (CLOSE: the state it left) */
	__u32 reset_reason;   /* SEND_RESET: enum sk_rst_reason */
};

struct tcpretrans_config {
	struct common_config common;
};

#endif

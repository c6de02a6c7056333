/* Records of block I/O: each request (biosnoop) and latency histograms (biolatency). */
#ifndef BLOCK_H
#define BLOCK_H

#include "bpfstream.h"

/* biosnoop: one block request from start to completion; biolatency: log2 histograms ------- */
#define DISK_NAME_LEN 32

/* Ordinals of the BlockOp Avro enum. */
enum block_op { BOP_READ = 0, BOP_WRITE, BOP_FLUSH, BOP_DISCARD, BOP_SECURE_ERASE, BOP_WRITE_ZEROES, BOP_OTHER };

/* Request flags normalized across kernels (rwbs letters). */
enum block_flag { BF_SYNC = 1, BF_META = 2, BF_FUA = 4, BF_PREFLUSH = 8, BF_RAHEAD = 16 };

struct biosnoop_config {
	struct common_config common;
};

struct block_io_record {
	struct record_hdr hdr;
	struct task_ctx ctx;  /* the task that queued the request (task_known), else the completing context */
	__u64 sector;
	__u64 queue_ns;       /* insert to issue; 0 when the request was not queued in a scheduler */
	__u64 service_ns;     /* issue to completion */
	__u32 bytes;
	__u32 major;
	__u32 minor;
	__u32 op;             /* enum block_op */
	__u32 flags;          /* enum block_flag bits */
	__u32 status;         /* blk_status_t, 0: ok */
	__u32 task_known;
	__u32 pad;
	char disk[DISK_NAME_LEN];
};

/* Stages of the BlockStage Avro enum. */
enum block_stage { BST_SERVICE = 0, BST_QUEUE = 1 };

struct biolatency_config {
	struct common_config common;
	__u32 queue_stage;    /* 1: also insert-to-issue histograms */
	__u32 pad;
};

struct bio_hist_key {
	__u32 dev;            /* (major << 20) | first_minor of the disk */
	__u8 op;              /* enum block_op */
	__u8 stage;           /* enum block_stage */
	__u16 pad;
};

#endif

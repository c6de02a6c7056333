/* Records of files: opens, slow file operations, page-cache counters. */
#ifndef FILES_H
#define FILES_H

#include "bpfstream.h"

/* open: an open/openat/openat2/creat with its path and result ------------------------------ */
#define OPEN_PATH_MAX 4096

enum open_syscall { OSC_OPEN = 0, OSC_OPENAT = 1, OSC_OPENAT2 = 2, OSC_CREAT = 3 };

struct open_config {
	struct common_config common;
	__u32 path_max;      /* bytes of path copied, NUL included, <= OPEN_PATH_MAX */
	__u32 failed_only;   /* 1: only failed opens */
};

struct open_record {
	struct record_hdr hdr;
	struct task_ctx ctx;
	__s64 ret;            /* fd, or -errno */
	__u64 flags;
	__u32 mode;
	__u16 syscall;        /* enum open_syscall */
	__u16 path_len;       /* bytes in path, without NUL */
	__u32 path_truncated;
	__u32 pad;
	char path[OPEN_PATH_MAX];
};

/* fileslow: a file operation slower than a threshold, at syscall level -------------------- */
#define FILE_PATH_MAX 512     /* bytes of path components kept */
#define FILE_NAME_CHUNK 256   /* bytes read per component */
#define FILE_PATH_DEPTH 16    /* components walked up from the file */
#define FS_TYPE_LEN 16
#define FS_FILTER_MAX 4

/* Ordinals of the FileOp Avro enum. */
enum file_op { FOP_READ = 0, FOP_WRITE, FOP_PREAD, FOP_PWRITE, FOP_READV, FOP_WRITEV, FOP_FSYNC,
	       FOP_FDATASYNC, FOP_OPEN, FOP_OTHER };

struct fileslow_config {
	struct common_config common;
	__u64 min_latency_ns;
	__u32 path_max;       /* bytes of path components, <= FILE_PATH_MAX */
	__u32 fs_filter_count; /* 0: every filesystem */
	char fs_filter[FS_FILTER_MAX][FS_TYPE_LEN];
};

struct file_slow_record {
	struct record_hdr hdr;
	struct task_ctx ctx;
	__u64 latency_ns;
	__s64 retval;
	__s64 offset;         /* -1 when unknown */
	__u64 bytes;
	__s32 fd;
	__u32 op;             /* enum file_op */
	char fs_type[FS_TYPE_LEN];
	__u16 path_len;       /* bytes in path */
	__u16 path_truncated; /* 1: the walk stopped before the root */
	__u32 pad;
	/* Path components leaf first, each NUL-terminated ("f\0dir\0tmp\0"); the collector reverses them. */
	char path[FILE_PATH_MAX + FILE_NAME_CHUNK];
};

/* cachestat: page-cache counters per cgroup, drained by the collector --------------------- */
struct cachestat_config {
	struct common_config common;
	__u32 per_cgroup;     /* 0: one host-wide entry (cgroup id 0) */
	__u32 pad;
};

struct cache_counts {
	__u64 misses;         /* pages added to the page cache */
	__u64 dirtied;        /* folios dirtied */
	__u64 evicted;        /* pages removed from the page cache */
	__u64 accesses;       /* estimate: pages asked for by buffered reads, plus file page faults */
};

#endif

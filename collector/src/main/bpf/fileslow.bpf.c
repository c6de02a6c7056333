// fileslow: read/write/pread/pwrite/readv/writev, fsync/fdatasync and open of regular files slower
// than a threshold, at syscall level (any filesystem), with the file's path (walked up the dentry
// and mount tree), its filesystem type (from the task's fd table) and the bytes.
// Entry only stamps the time in task-local storage; the fd and offset come from the task's saved
// user registers at exit, so the common fast case is one storage lookup and a compare.
#include "vmlinux.h"
#include "files.h"

#define PROBE_CONFIG fileslow_config
#include "common.bpf.h"
#include "files.bpf.h"

DEFINE_SCRATCH(file_slow_record)

struct started {
	__u64 ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct started);
} starts SEC(".maps");

static __always_inline void start(void)
{
	struct started *s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), 0,
						 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s)
		s->ns = bpf_ktime_get_ns();
}

static __always_inline bool fs_wanted(const char *fs)
{
	if (!cfg.fs_filter_count)
		return true;
	for (int i = 0; i < FS_FILTER_MAX; i++) {
		if (i >= cfg.fs_filter_count)
			break;
		bool same = true;
		for (int k = 0; k < FS_TYPE_LEN; k++) {
			if (cfg.fs_filter[i][k] != fs[k]) {
				same = false;
				break;
			}
			if (!fs[k])
				break;
		}
		if (same)
			return true;
	}
	return false;
}

/* Path components from the file up to the root of the task's mount tree, leaf first. */
static __always_inline void file_path(struct file *f, struct file_slow_record *r)
{
	struct dentry *d = BPF_CORE_READ(f, f_path.dentry);
	struct vfsmount *vm = BPF_CORE_READ(f, f_path.mnt);
	struct mount *m = (void *)vm - bpf_core_field_offset(struct mount, mnt);
	__u64 max = cfg.path_max;
	__u64 off = 0;

	if (max > FILE_PATH_MAX)
		max = FILE_PATH_MAX;
	r->path_truncated = 1;
	for (int i = 0; i < FILE_PATH_DEPTH; i++) {
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		if (d == BPF_CORE_READ(vm, mnt_root) || d == parent) {
			struct mount *up = BPF_CORE_READ(m, mnt_parent);
			if (up == m || !up) {
				r->path_truncated = 0;
				break;
			}
			d = BPF_CORE_READ(m, mnt_mountpoint);
			m = up;
			vm = (void *)up + bpf_core_field_offset(struct mount, mnt);
			continue;
		}
		if (off >= max)
			break;
		__u64 room = max - off;
		if (room > FILE_NAME_CHUNK)
			room = FILE_NAME_CHUNK;
		barrier_var(room);
		long n = bpf_probe_read_kernel_str(&r->path[off & (FILE_PATH_MAX - 1)], room, BPF_CORE_READ(d, d_name.name));
		if (n <= 0)
			break;
		off += n;
		d = parent;
	}
	r->path_len = off > max ? max : off;
}

static __always_inline void finish(void *ctx, long ret, __u32 op)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct started *s = bpf_task_storage_get(&starts, t, 0, 0);
	if (!s || !s->ns)
		return;
	__u64 latency = bpf_ktime_get_ns() - s->ns;
	s->ns = 0;
	if (latency < cfg.min_latency_ns || is_self())
		return;

	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	long fd = op == FOP_OPEN ? ret : (int)regs->di;
	struct file *f = fd_file(t, fd);
	if (!f || (file_mode(f) & S_IFMT) != S_IFREG)
		return;
	struct probe_stats *st = probe_stats();
	struct file_slow_record *r = scratch_record();
	if (!st || !r)
		return;
	file_fs_type(f, r->fs_type, FS_TYPE_LEN);
	if (!fs_wanted(r->fs_type))
		return;

	if (!begin_record(&r->hdr, &r->ctx, st, REC_FILE_SLOW, t))
		return;
	r->latency_ns = latency;
	r->retval = ret;
	r->fd = fd;
	r->op = op;
	r->pad = 0;
	r->bytes = 0;
	r->offset = -1;
	if (op == FOP_PREAD || op == FOP_PWRITE) {
		r->offset = regs->r10;
		r->bytes = ret > 0 ? ret : 0;
	} else if (op <= FOP_WRITEV) {
		r->bytes = ret > 0 ? ret : 0;
		if (ret >= 0)
			r->offset = BPF_CORE_READ(f, f_pos) - ret;
	}
	file_path(f, r);

	__u64 size = offsetof(struct file_slow_record, path) + (r->path_len & (FILE_PATH_MAX * 2 - 1));
	if (size > sizeof(*r))
		size = sizeof(*r);
	r->hdr.size = size;
	emit(ctx, st, r, size);
}

#define FILE_SYSCALL(name, op)                                                    \
	SEC("tracepoint/syscalls/sys_enter_" #name)                               \
	int name##_enter(void *ctx)                                                \
	{                                                                          \
		start();                                                           \
		return 0;                                                          \
	}                                                                          \
	SEC("tracepoint/syscalls/sys_exit_" #name)                                \
	int name##_exit(struct trace_event_raw_sys_exit *ctx)                      \
	{                                                                          \
		finish(ctx, ctx->ret, op);                                         \
		return 0;                                                          \
	}

FILE_SYSCALL(read, FOP_READ)
FILE_SYSCALL(write, FOP_WRITE)
FILE_SYSCALL(pread64, FOP_PREAD)
FILE_SYSCALL(pwrite64, FOP_PWRITE)
FILE_SYSCALL(readv, FOP_READV)
FILE_SYSCALL(writev, FOP_WRITEV)
FILE_SYSCALL(fsync, FOP_FSYNC)
FILE_SYSCALL(fdatasync, FOP_FDATASYNC)
FILE_SYSCALL(open, FOP_OPEN)
FILE_SYSCALL(openat, FOP_OPEN)

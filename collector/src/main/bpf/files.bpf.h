/* A task's open files, read kernel-side: fd -> struct file, its filesystem type and path. */
#ifndef FILES_BPF_H
#define FILES_BPF_H

#define S_IFMT 00170000
#define S_IFREG 0100000
#define S_IFSOCK 0140000

/* The file behind fd in t's fd table, or NULL. */
static __always_inline struct file *fd_file(struct task_struct *t, long fd)
{
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;

	if (fd < 0 || fd >= max || !fds)
		return NULL;
	bpf_core_read(&f, sizeof(f), &fds[fd]);
	return f;
}

static __always_inline __u32 file_mode(struct file *f)
{
	return BPF_CORE_READ(f, f_inode, i_mode);
}

/* The name of the file's filesystem type (ext4, xfs, tmpfs, ...) into out[len]. */
static __always_inline void file_fs_type(struct file *f, char *out, __u32 len)
{
	const char *name = BPF_CORE_READ(f, f_inode, i_sb, s_type, name);
	if (!name || bpf_probe_read_kernel_str(out, len, name) < 0)
		out[0] = 0;
}

#endif

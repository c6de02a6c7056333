// bashreadline: every line an interactive bash reads, from a uretprobe on readline() in each bash
// binary the collector finds (the host's, and those inside other mount namespaces).
#include "vmlinux.h"
#include "task.h"

#define PROBE_CONFIG shell_config
#include "common.bpf.h"

DEFINE_SCRATCH(shell_record)

SEC("uretprobe")
/* BPF_KRETPROBE: libbpf 1.1 has no BPF_URETPROBE; the return value is read the same way. */
int BPF_KRETPROBE(readline_return, const char *line)
{
	char first = 0;

	/* NULL at end of input; an empty line is no command. */
	if (!line || bpf_probe_read_user(&first, 1, line) || !first)
		return 0;
	struct probe_stats *st = probe_stats();
	struct shell_record *r = scratch_record();
	if (!st || !r)
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task_btf();
	if (!begin_record(&r->hdr, &r->ctx, st, REC_SHELL, t))
		return 0;
	/* Which of the traced binaries this is: the collector knows each by device and inode. */
	struct inode *exe = BPF_CORE_READ(t, mm, exe_file, f_inode);
	r->exe_ino = BPF_CORE_READ(exe, i_ino);
	r->exe_dev = BPF_CORE_READ(exe, i_sb, s_dev);
	r->pad = 0;
	long n = bpf_probe_read_user_str(r->line, sizeof(r->line), line);
	__u32 len = n > 0 ? n - 1 : 0;
	char more = 0;
	r->truncated = len == SHELL_LINE_MAX - 1 && !bpf_probe_read_user(&more, 1, line + len) && more;
	r->line_len = len;
	__u64 size = offsetof(struct shell_record, line) + (len & (SHELL_LINE_MAX - 1));
	r->hdr.size = size;
	emit(ctx, st, r, size);
	return 0;
}

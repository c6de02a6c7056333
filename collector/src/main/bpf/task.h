/* Records of processes: exec, exit, namespace changes and UTS names, shell lines. */
#ifndef TASK_H
#define TASK_H

#include "bpfstream.h"

/* exec: a successful exec with its argv --------------------------------------------------- */
#define EXEC_FILENAME_MAX 256
#define EXEC_ARGS_MAX 4096

struct exec_config {
	struct common_config common;
	__u32 args_max;      /* bytes of argv to copy, <= EXEC_ARGS_MAX */
	__u32 pad;
};

struct exec_record {
	struct record_hdr hdr;
	struct task_ctx ctx;
	__s32 retval;
	__u32 file_mode;
	__u32 file_uid;
	__u16 filename_len;   /* bytes in filename, without NUL */
	__u16 args_len;       /* bytes in args: NUL-separated argv */
	__u32 args_truncated;
	__u32 pad;
	char filename[EXEC_FILENAME_MAX];
	char args[EXEC_ARGS_MAX];
};

/* exit: a process (thread-group leader) exits -------------------------------------------- */
struct exit_config {
	struct common_config common;
};

struct exit_record {
	struct record_hdr hdr;
	struct task_ctx ctx;
	__u64 start_boot_ns;
	__s32 exit_code;  /* task->exit_code: status << 8 | core 0x80 | signal */
	__u32 pad;
};

/* nslifecycle: namespaces created or entered ----------------------------------------------- */
enum ns_syscall { NSC_CLONE = 0, NSC_CLONE3 = 1, NSC_UNSHARE = 2, NSC_SETNS = 3 };

struct nslifecycle_config {
	struct common_config common;
};

struct ns_change_record {
	struct record_hdr hdr;
	struct task_ctx ctx;     /* ctx.ns: namespaces before the call */
	__u64 flags;
	__s64 retval;
	__u32 syscall;
	__u32 after_ns[NS_SLOTS];
	__u32 child_pid;         /* clone: the new task */
};

/* A UTS namespace given a new hostname or domain name (sethostname/setdomainname). */
#define UTS_NAME_LEN 65

struct uts_name_record {
	struct record_hdr hdr;
	struct task_ctx ctx;     /* ctx.ns[NS_UTS]: the renamed namespace */
	char nodename[UTS_NAME_LEN];
	char domainname[UTS_NAME_LEN];
	__u8 pad[6];
};

/* bashreadline: a line returned by readline() in an interactive bash ---------------------- */
#define SHELL_LINE_MAX 512

struct shell_config {
	struct common_config common;
};

struct shell_record {
	struct record_hdr hdr;
	struct task_ctx ctx;
	__u64 exe_ino;    /* the shell's executable: inode and device (kernel encoding, major << 20 | minor) */
	__u32 exe_dev;
	__u32 line_len;   /* bytes in line, without NUL */
	__u32 truncated;  /* the line was longer than SHELL_LINE_MAX - 1 */
	__u32 pad;
	char line[SHELL_LINE_MAX];
};

#endif

package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.probe.RecordLayout;
import org.junit.jupiter.api.Test;

/**
 * The Java decoders' offsets against the C contract: compiles bpfstream.h and every domain header
 * with gcc, prints offsetof/sizeof of every field the decoders read and the value of every record
 * kind, and compares. A field moved in a header without its Java offset fails here, not as garbage
 * in production.
 */
class RecordLayoutTest {

  /** "struct.field" (or "sizeof struct") → the Java constant that must equal it. */
  static Map<String, Integer> expected() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("value REC_EXEC", RecordLayout.REC_EXEC);
    m.put("value REC_EXIT", RecordLayout.REC_EXIT);
    m.put("value REC_NS_CHANGE", RecordLayout.REC_NS_CHANGE);
    m.put("value REC_OPEN", RecordLayout.REC_OPEN);
    m.put("value REC_FILE_SLOW", RecordLayout.REC_FILE_SLOW);
    m.put("value REC_BLOCK_IO", RecordLayout.REC_BLOCK_IO);
    m.put("value REC_TCP", RecordLayout.REC_TCP);
    m.put("value REC_SHELL", RecordLayout.REC_SHELL);
    m.put("value REC_UTS_NAME", RecordLayout.REC_UTS_NAME);
    m.put("value REC_BENCH", RecordLayout.REC_BENCH);
    m.put("sizeof record_hdr", RecordLayout.HDR_BYTES);
    m.put("task_ctx.boot_ns", RecordLayout.CTX_BOOT_NS);
    m.put("task_ctx.seq", RecordLayout.CTX_SEQ);
    m.put("task_ctx.cgroup_id", RecordLayout.CTX_CGROUP_ID);
    m.put("task_ctx.pid", RecordLayout.CTX_PID);
    m.put("task_ctx.tid", RecordLayout.CTX_TID);
    m.put("task_ctx.ppid", RecordLayout.CTX_PPID);
    m.put("task_ctx.uid", RecordLayout.CTX_UID);
    m.put("task_ctx.gid", RecordLayout.CTX_GID);
    m.put("task_ctx.cpu", RecordLayout.CTX_CPU);
    m.put("task_ctx.ns", RecordLayout.CTX_NS);
    m.put("task_ctx.comm", RecordLayout.CTX_COMM);
    m.put("sizeof task_ctx", RecordLayout.CTX_BYTES);
    m.put("common_config.wakeup_bytes", RecordLayout.CFG_WAKEUP_BYTES);
    m.put("common_config.use_perfbuf", RecordLayout.CFG_USE_PERFBUF);
    m.put("common_config.self_tgid", RecordLayout.CFG_SELF_TGID);
    m.put("common_config.max_events_per_sec", RecordLayout.CFG_MAX_EVENTS_PER_SEC);
    m.put("common_config.burst", RecordLayout.CFG_BURST);
    m.put("common_config.rate_interval_ns", RecordLayout.CFG_RATE_INTERVAL_NS);
    m.put("common_config.rate_tolerance_ns", RecordLayout.CFG_RATE_TOLERANCE_NS);
    m.put("sizeof common_config", RecordLayout.CFG_COMMON_BYTES);
    m.put("probe_stats.attempted", RecordLayout.STATS_ATTEMPTED);
    m.put("probe_stats.lost", RecordLayout.STATS_LOST);
    m.put("probe_stats.overflow", RecordLayout.STATS_OVERFLOW);
    m.put("probe_stats.rate_limited", RecordLayout.STATS_RATE_LIMITED);
    m.put("sizeof probe_stats", RecordLayout.STATS_BYTES);
    m.put("exec_config.args_max", ExecProbe.CFG_ARGS_MAX);
    m.put("exec_record.retval", ExecProbe.RETVAL);
    m.put("exec_record.file_mode", ExecProbe.FILE_MODE);
    m.put("exec_record.file_uid", ExecProbe.FILE_UID);
    m.put("exec_record.filename_len", ExecProbe.FILENAME_LEN);
    m.put("exec_record.args_len", ExecProbe.ARGS_LEN);
    m.put("exec_record.args_truncated", ExecProbe.ARGS_TRUNCATED);
    m.put("exec_record.filename", ExecProbe.FILENAME);
    m.put("exec_record.args", ExecProbe.ARGS);
    m.put("exit_record.start_boot_ns", ExitProbe.START_BOOT_NS);
    m.put("exit_record.exit_code", ExitProbe.EXIT_CODE);
    m.put("sizeof exit_record", ExitProbe.SIZE);
    m.put("ns_change_record.flags", NamespaceLifecycleProbe.FLAGS);
    m.put("ns_change_record.retval", NamespaceLifecycleProbe.RETVAL);
    m.put("ns_change_record.syscall", NamespaceLifecycleProbe.SYSCALL);
    m.put("ns_change_record.after_ns", NamespaceLifecycleProbe.AFTER_NS);
    m.put("ns_change_record.child_pid", NamespaceLifecycleProbe.CHILD_PID);
    m.put("sizeof ns_change_record", NamespaceLifecycleProbe.SIZE);
    m.put("uts_name_record.nodename", NamespaceLifecycleProbe.NODENAME);
    m.put("uts_name_record.domainname", NamespaceLifecycleProbe.DOMAINNAME);
    m.put("open_config.path_max", OpenProbe.CFG_PATH_MAX);
    m.put("open_config.failed_only", OpenProbe.CFG_FAILED_ONLY);
    m.put("sizeof open_config", OpenProbe.CFG_BYTES);
    m.put("open_record.ret", OpenProbe.RET);
    m.put("open_record.flags", OpenProbe.FLAGS);
    m.put("open_record.mode", OpenProbe.MODE);
    m.put("open_record.syscall", OpenProbe.SYSCALL);
    m.put("open_record.path_len", OpenProbe.PATH_LEN);
    m.put("open_record.path_truncated", OpenProbe.PATH_TRUNCATED);
    m.put("open_record.path", OpenProbe.PATH);
    m.put("sizeof open_record", OpenProbe.PATH + OpenProbe.PATH_MAX);
    m.put("fileslow_config.min_latency_ns", FileSlowProbe.CFG_MIN_LATENCY);
    m.put("fileslow_config.path_max", FileSlowProbe.CFG_PATH_MAX);
    m.put("fileslow_config.fs_filter_count", FileSlowProbe.CFG_FS_FILTER_COUNT);
    m.put("fileslow_config.fs_filter", FileSlowProbe.CFG_FS_FILTER);
    m.put("sizeof fileslow_config", FileSlowProbe.CFG_BYTES);
    m.put("file_slow_record.latency_ns", FileSlowProbe.LATENCY);
    m.put("file_slow_record.retval", FileSlowProbe.RETVAL);
    m.put("file_slow_record.offset", FileSlowProbe.OFFSET);
    m.put("file_slow_record.bytes", FileSlowProbe.BYTES);
    m.put("file_slow_record.fd", FileSlowProbe.FD);
    m.put("file_slow_record.op", FileSlowProbe.OP);
    m.put("file_slow_record.fs_type", FileSlowProbe.FS_TYPE);
    m.put("file_slow_record.path_len", FileSlowProbe.PATH_LEN);
    m.put("file_slow_record.path_truncated", FileSlowProbe.PATH_TRUNCATED);
    m.put("file_slow_record.path", FileSlowProbe.PATH);
    m.put("block_io_record.sector", BlockIoProbe.SECTOR);
    m.put("block_io_record.queue_ns", BlockIoProbe.QUEUE_NS);
    m.put("block_io_record.service_ns", BlockIoProbe.SERVICE_NS);
    m.put("block_io_record.bytes", BlockIoProbe.BYTES);
    m.put("block_io_record.major", BlockIoProbe.MAJOR);
    m.put("block_io_record.minor", BlockIoProbe.MINOR);
    m.put("block_io_record.op", BlockIoProbe.OP);
    m.put("block_io_record.flags", BlockIoProbe.FLAGS);
    m.put("block_io_record.status", BlockIoProbe.STATUS);
    m.put("block_io_record.task_known", BlockIoProbe.TASK_KNOWN);
    m.put("block_io_record.disk", BlockIoProbe.DISK);
    m.put("sizeof block_io_record", BlockIoProbe.SIZE);
    m.put("biolatency_config.queue_stage", BlockLatencyProbe.CFG_QUEUE_STAGE);
    m.put("sizeof biolatency_config", BlockLatencyProbe.CFG_BYTES);
    m.put("bio_hist_key.dev", BlockLatencyProbe.KEY_DEV);
    m.put("bio_hist_key.op", BlockLatencyProbe.KEY_OP);
    m.put("bio_hist_key.stage", BlockLatencyProbe.KEY_STAGE);
    m.put("sizeof bio_hist_key", BlockLatencyProbe.KEY_BYTES);
    m.put("log2_hist.count", BlockLatencyProbe.HIST_COUNT);
    m.put("log2_hist.sum_ns", BlockLatencyProbe.HIST_SUM);
    m.put("sizeof log2_hist", BlockLatencyProbe.HIST_BYTES);
    m.put("tcp_record.connect_latency_ns", TcpRecordDecoder.CONNECT_LATENCY);
    m.put("tcp_record.lifetime_ns", TcpRecordDecoder.LIFETIME);
    m.put("tcp_record.bytes_sent", TcpRecordDecoder.BYTES_SENT);
    m.put("tcp_record.bytes_received", TcpRecordDecoder.BYTES_RECEIVED);
    m.put("tcp_record.saddr", TcpRecordDecoder.SADDR);
    m.put("tcp_record.daddr", TcpRecordDecoder.DADDR);
    m.put("tcp_record.sport", TcpRecordDecoder.SPORT);
    m.put("tcp_record.dport", TcpRecordDecoder.DPORT);
    m.put("tcp_record.family", TcpRecordDecoder.FAMILY);
    m.put("tcp_record.type", TcpRecordDecoder.TYPE);
    m.put("tcp_record.task_known", TcpRecordDecoder.TASK_KNOWN);
    m.put("tcp_record.state", TcpRecordDecoder.STATE);
    m.put("tcp_record.reset_reason", TcpRecordDecoder.RESET_REASON);
    m.put("sizeof tcp_record", TcpRecordDecoder.SIZE);
    m.put("cachestat_config.per_cgroup", CacheStatProbe.CFG_PER_CGROUP);
    m.put("sizeof cachestat_config", CacheStatProbe.CFG_BYTES);
    m.put("cache_counts.misses", CacheStatProbe.MISSES * 8);
    m.put("cache_counts.dirtied", CacheStatProbe.DIRTIED * 8);
    m.put("cache_counts.evicted", CacheStatProbe.EVICTED * 8);
    m.put("cache_counts.accesses", CacheStatProbe.ACCESSES * 8);
    m.put("sizeof cache_counts", CacheStatProbe.FIELDS * 8);
    m.put("bench_config.target_tgid", BenchProbe.CFG_TARGET_TGID);
    m.put("bench_record.value", BenchProbe.VALUE);
    m.put("sizeof bench_record", BenchProbe.SIZE);
    m.put("sizeof runqlat_config", RecordLayout.CFG_COMMON_BYTES);
    m.put("runq_key.cgroup_id", RunqLatencyProbe.KEY_CGROUP_ID);
    m.put("runq_key.pidns", RunqLatencyProbe.KEY_PIDNS);
    m.put("runq_key.generation", RunqLatencyProbe.KEY_GENERATION);
    m.put("sizeof runq_key", RunqLatencyProbe.KEY_SIZE);
    m.put("runq_hist.hist.buckets", RunqLatencyProbe.HIST_SLOTS);
    m.put("runq_hist.hist.count", RunqLatencyProbe.HIST_COUNT);
    m.put("runq_hist.hist.sum_ns", RunqLatencyProbe.HIST_SUM_NS);
    m.put("runq_hist.unmeasured", RunqLatencyProbe.HIST_UNMEASURED);
    m.put("sizeof runq_hist", RunqLatencyProbe.HIST_SIZE);
    m.put("sizeof runqlen_config", RecordLayout.CFG_COMMON_BYTES);
    m.put("runqlen_hist.slots", RunqLengthProbe.HIST_SLOTS);
    m.put("runqlen_hist.samples", RunqLengthProbe.HIST_SAMPLES);
    m.put("runqlen_hist.waiting_sum", RunqLengthProbe.HIST_WAITING_SUM);
    m.put("sizeof runqlen_hist", RunqLengthProbe.HIST_SIZE);
    m.put("sizeof profile_config", RecordLayout.CFG_COMMON_BYTES);
    m.put("profile_key.pid", ProfileProbe.KEY_PID);
    m.put("profile_key.tid", ProfileProbe.KEY_TID);
    m.put("profile_key.kernel_stack", ProfileProbe.KEY_KERNEL_STACK);
    m.put("profile_key.user_stack", ProfileProbe.KEY_USER_STACK);
    m.put("profile_key.ns", ProfileProbe.KEY_NS);
    m.put("profile_key.generation", ProfileProbe.KEY_GENERATION);
    m.put("sizeof profile_key", ProfileProbe.KEY_SIZE);
    m.put("profile_value.count", ProfileProbe.VALUE_COUNT);
    m.put("profile_value.ctx", ProfileProbe.VALUE_CTX);
    m.put("sizeof profile_value", ProfileProbe.VALUE_SIZE);
    m.put("sizeof shell_config", RecordLayout.CFG_COMMON_BYTES);
    m.put("shell_record.exe_ino", BashReadlineProbe.EXE_INO);
    m.put("shell_record.exe_dev", BashReadlineProbe.EXE_DEV);
    m.put("shell_record.line_len", BashReadlineProbe.LINE_LEN);
    m.put("shell_record.truncated", BashReadlineProbe.TRUNCATED);
    m.put("shell_record.line", BashReadlineProbe.LINE);
    m.put("sizeof shell_record", BashReadlineProbe.LINE + BashReadlineProbe.LINE_MAX);
    return m;
  }

  @Test
  void everyOffsetTheDecodersReadMatchesTheCHeader() throws Exception {
    Prerequisites.requireCommand("gcc", "gcc");
    Path dir = Files.createTempDirectory("layout");
    try {
      Path headers = Path.of("src/main/bpf").toAbsolutePath();
      StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include <linux/types.h>\n");
      for (String h : contractHeaders(headers)) {
        c.append("#include \"").append(h).append("\"\n");
      }
      c.append("int main(void) {\n");
      for (String k : expected().keySet()) {
        String expr = k.startsWith("sizeof ") ? "sizeof(struct " + k.substring(7) + ")"
            : k.startsWith("value ") ? "(size_t) " + k.substring(6)
            : "offsetof(struct " + k.substring(0, k.indexOf('.')) + ", " + k.substring(k.indexOf('.') + 1) + ")";
        c.append("  printf(\"%s=%zu\\n\", \"").append(k).append("\", ").append(expr).append(");\n");
      }
      c.append("  return 0;\n}\n");
      Files.writeString(dir.resolve("layout.c"), c.toString());
      run(dir, "gcc", "-Wall", "-Werror", "-I" + headers, "-o", dir.resolve("layout").toString(), dir.resolve("layout.c").toString());
      String out = run(dir, dir.resolve("layout").toString());
      Map<String, Integer> actual = new LinkedHashMap<>();
      for (String line : out.split("\n")) {
        int eq = line.indexOf('=');
        actual.put(line.substring(0, eq), Integer.parseInt(line.substring(eq + 1).trim()));
      }
      assertThat(actual).containsExactlyEntriesOf(expected());
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The headers both sides share: every .h but the kernel-side helpers (.bpf.h) and vmlinux.h. */
  private static List<String> contractHeaders(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      List<String> out = s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".h") && !n.endsWith(".bpf.h") && !n.equals("vmlinux.h")).sorted().toList();
      assertThat(out).contains("bpfstream.h", "task.h", "files.h", "block.h", "tcp.h", "sched.h", "bench.h");
      return out;
    }
  }

  private static String run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return out;
  }
}

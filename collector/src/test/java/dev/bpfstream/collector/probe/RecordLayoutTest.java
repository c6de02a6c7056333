package dev.bpfstream.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.Prerequisites;
import org.junit.jupiter.api.Test;

/**
 * The Java decoders' offsets against the C contract: compiles bpfstream.h with gcc, prints
 * offsetof/sizeof of every field the decoders read, and compares. A field moved in the header
 * without its Java offset fails here, not as garbage in production.
 */
class RecordLayoutTest {

  /** "struct.field" (or "sizeof struct") → the Java constant that must equal it. */
  static Map<String, Integer> expected() {
    Map<String, Integer> m = new LinkedHashMap<>();
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
    m.put("sizeof common_config", RecordLayout.CFG_COMMON_BYTES);
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
    m.put("bench_config.target_tgid", BenchProbe.CFG_TARGET_TGID);
    m.put("bench_record.value", BenchProbe.VALUE);
    m.put("sizeof bench_record", BenchProbe.SIZE);
    return m;
  }

  @Test
  void everyOffsetTheDecodersReadMatchesTheCHeader() throws Exception {
    Prerequisites.require(new java.io.File("/usr/bin/gcc").canExecute() ? null : "needs gcc to compile bpfstream.h");
    Path dir = Files.createTempDirectory("layout");
    try {
      StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include <linux/types.h>\n#include \"bpfstream.h\"\nint main(void) {\n");
      for (String k : expected().keySet()) {
        String expr = k.startsWith("sizeof ") ? "sizeof(struct " + k.substring(7) + ")"
            : "offsetof(struct " + k.substring(0, k.indexOf('.')) + ", " + k.substring(k.indexOf('.') + 1) + ")";
        c.append("  printf(\"%s=%zu\\n\", \"").append(k).append("\", ").append(expr).append(");\n");
      }
      c.append("  return 0;\n}\n");
      Files.writeString(dir.resolve("layout.c"), c.toString());
      Path header = Path.of("src/main/bpf").toAbsolutePath();
      run(dir, "gcc", "-I" + header, "-o", dir.resolve("layout").toString(), dir.resolve("layout.c").toString());
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

  private static String run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return out;
  }
}

package dev.bpfstream.collector.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the collector needs of this machine, each check giving one line that names the fix. */
public final class Privileges {
  public static final int CAP_DAC_READ_SEARCH = 2;
  public static final int CAP_SYS_PTRACE = 19;
  public static final int CAP_SYS_ADMIN = 21;
  public static final int CAP_SYS_RESOURCE = 24;
  public static final int CAP_PERFMON = 38;
  public static final int CAP_BPF = 39;

  private Privileges() {
  }

  /** Effective capability bits of this process. */
  public static long effectiveCapabilities() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          return Long.parseUnsignedLong(line.substring(7).trim(), 16);
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  public static boolean has(int cap) {
    return (effectiveCapabilities() & (1L << cap)) != 0;
  }

  /** Every missing prerequisite as one line each; empty when BPF can be loaded. */
  public static List<String> missing() {
    List<String> out = new ArrayList<>();
    long caps = effectiveCapabilities();
    boolean admin = (caps & (1L << CAP_SYS_ADMIN)) != 0;
    if (!admin && (caps & (1L << CAP_BPF)) == 0) {
      out.add("missing CAP_BPF: run as root or grant it (setcap cap_bpf,cap_perfmon+ep, or capsh --caps=...)");
    }
    if (!admin && (caps & (1L << CAP_PERFMON)) == 0) {
      out.add("missing CAP_PERFMON: run as root or grant it (needed to attach tracepoints and perf events)");
    }
    if (!Files.exists(Path.of("/sys/kernel/btf/vmlinux"))) {
      out.add("no kernel BTF at /sys/kernel/btf/vmlinux: use a kernel built with CONFIG_DEBUG_INFO_BTF=y (Linux >= 5.8)");
    }
    String libbpf = Native.unavailableReason();
    if (libbpf != null) {
      out.add(libbpf);
    }
    return out;
  }

  /**
   * Capabilities the collector works without, at a cost: one line each saying what is lost.
   * The full set is CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN, CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH.
   */
  public static List<String> degraded() {
    List<String> out = new ArrayList<>();
    long caps = effectiveCapabilities();
    if ((caps & (1L << CAP_SYS_ADMIN)) == 0) {
      out.add("without CAP_SYS_ADMIN: UTS names are read only from sethostname events (no setns), and tracefs must already be mounted");
    }
    if ((caps & (1L << CAP_SYS_PTRACE)) == 0) {
      out.add("without CAP_SYS_PTRACE: namespaces of processes of other users are not scanned (/proc/PID/ns needs ptrace read access)");
    }
    if ((caps & (1L << CAP_DAC_READ_SEARCH)) == 0) {
      out.add("without CAP_DAC_READ_SEARCH: cgroup ids resolve by walking /sys/fs/cgroup instead of by file handle (slower for new containers)");
    }
    return out;
  }
}

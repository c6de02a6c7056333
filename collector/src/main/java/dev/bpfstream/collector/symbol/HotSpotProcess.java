package dev.bpfstream.collector.symbol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What /proc and a JVM's own perf data say about whether SIGQUIT would start its attach listener,
 * read before the collector sends it one. SIGQUIT ends a process that has no handler for it (a
 * JVM run with -Xrs, one still starting, any other program) and makes a JVM whose attach mechanism
 * is disabled print a thread dump on its stdout; so a process is signalled only when it maps
 * libjvm.so, publishes perf data (it is a HotSpot JVM and its pid is this one), says it finished
 * starting, that its attach mechanism is enabled and that it took neither -Xrs nor
 * -XX:+ReduceSignalUsage (its options as it took them: command line, argument files and the
 * JAVA_TOOL_OPTIONS, _JAVA_OPTIONS and JDK_JAVA_OPTIONS variables, which its command line alone
 * would not show), is Java 17+ (Compiler.perfmap), and its signal mask has a SIGQUIT handler.
 */
final class HotSpotProcess {
  private static final long SIGQUIT_BIT = 1L << (3 - 1);

  /** Why a process is not signalled; {@code lasting}: for its whole life (else it may be asked again later). */
  record Skip(String reason, boolean lasting) {
  }

  private HotSpotProcess() {
  }

  /** Null when process {@code dir} (/proc/PID) may be sent SIGQUIT with a trigger file, else why not. */
  static Skip whyNotSignal(Path dir, int nsPid) throws IOException {
    List<String> maps = Files.readAllLines(dir.resolve("maps"));
    if (maps.stream().noneMatch(l -> l.endsWith("/libjvm.so"))) {
      return new Skip("not a HotSpot JVM (no libjvm.so mapped)", true);
    }
    String suffix = "/" + nsPid;
    String perfDataLine = maps.stream()
        .map(l -> l.endsWith(" (deleted)") ? l.substring(0, l.length() - " (deleted)".length()) : l)
        .filter(l -> l.contains("/hsperfdata_") && l.endsWith(suffix)).findFirst().orElse(null);
    if (perfDataLine == null) {
      return new Skip("no perf data (-XX:-UsePerfData): whether it handles SIGQUIT cannot be told", true);
    }
    HotSpotPerfData perf = HotSpotPerfData.read(dir.resolve("map_files").resolve(perfDataLine.substring(0, perfDataLine.indexOf(' '))));
    if (!perf.accessible() || !perf.started()) {
      return new Skip("still starting", false);
    }
    if (!perf.attachable()) {
      return new Skip("attach mechanism disabled (-XX:+DisableAttachMechanism)", true);
    }
    String options = " " + perf.options() + " ";
    if (options.contains(" -Xrs ") || options.contains("+ReduceSignalUsage")) {
      return new Skip("runs with -Xrs: SIGQUIT would end it", true);
    }
    int version = perf.featureVersion();
    if (version < 17) {
      return new Skip("Java " + (version == 0 ? "of unknown version" : version) + " has no Compiler.perfmap (Java 17+)", true);
    }
    Status status = Status.read(dir);
    if (!status.handlesSigquit()) {
      return new Skip("no SIGQUIT handler", true);
    }
    if (!rootMapped(dir)) {
      return new Skip("in a user namespace without root: its attach socket would not accept the collector", true);
    }
    return null;
  }

  /** Whether the host's root is a user inside the process's user namespace (the attach socket accepts only its own user and root). */
  static boolean rootMapped(Path dir) throws IOException {
    for (String line : Files.readAllLines(dir.resolve("uid_map"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3) {
        long outside = Long.parseLong(f[1]);
        long count = Long.parseLong(f[2]);
        if (outside <= 0 && 0 < outside + count) {
          return true;
        }
      }
    }
    return false;
  }

  /** The lines of /proc/PID/status the signal needs: caught signals and effective ids (as this namespace sees them). */
  record Status(long caught, int uid, int gid) {
    static Status read(Path dir) throws IOException {
      long caught = 0;
      int uid = -1;
      int gid = -1;
      for (String line : Files.readAllLines(dir.resolve("status"))) {
        if (line.startsWith("SigCgt:")) {
          caught = Long.parseUnsignedLong(line.substring(7).strip(), 16);
        } else if (line.startsWith("Uid:")) {
          uid = Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
        } else if (line.startsWith("Gid:")) {
          gid = Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
        }
      }
      return new Status(caught, uid, gid);
    }

    boolean handlesSigquit() {
      return (caught & SIGQUIT_BIT) != 0;
    }
  }

  /** The process's start time (clock ticks after boot, /proc/PID/stat field 22): with the pid, one process's identity. */
  static long startTime(Path dir) throws IOException {
    String stat = Files.readString(dir.resolve("stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[19]);
  }
}

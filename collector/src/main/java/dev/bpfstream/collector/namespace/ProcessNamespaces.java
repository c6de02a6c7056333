package dev.bpfstream.collector.namespace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.bpfstream.event.NamespaceKind;

/**
 * Which processes are in which namespace: one pass of readlink over /proc/PID/ns/KIND. Threads are
 * not visited (a thread that setns'ed elsewhere is not seen); pid_for_children and
 * time_for_children are not namespaces of the process itself and are skipped.
 */
final class ProcessNamespaces {
  private static final NamespaceKind[] KINDS = NamespaceKind.values();
  private static final String[] FILES = new String[KINDS.length];

  static {
    for (NamespaceKind k : KINDS) {
      FILES[k.ordinal()] = k.name().toLowerCase(Locale.ROOT); // MNT -> mnt, ... the /proc/PID/ns names
    }
  }

  /** Processes in one namespace; the lowest pid is the sample (the oldest, usually the one that made it). */
  static final class Members {
    int count;
    int lowestPid = Integer.MAX_VALUE;
  }

  /** Members of every namespace some process is in, and how many processes were read. */
  record Snapshot(Map<NamespaceKey, Members> members, int processes) {
  }

  private ProcessNamespaces() {
  }

  static Snapshot read() {
    Map<NamespaceKey, Members> members = new HashMap<>();
    int processes = 0;
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path p : proc) {
        int pid = pidOf(p.getFileName().toString());
        if (pid <= 0) {
          continue;
        }
        boolean any = false;
        for (NamespaceKind kind : KINDS) {
          long inode = inode(pid, kind);
          if (inode > 0) {
            any = true;
            Members m = members.computeIfAbsent(new NamespaceKey(kind, inode), k -> new Members());
            m.count++;
            m.lowestPid = Math.min(m.lowestPid, pid);
          }
        }
        if (any) {
          processes++;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e.getMessage() + "; mount procfs at /proc");
    }
    return new Snapshot(members, processes);
  }

  static Path file(int pid, NamespaceKind kind) {
    return Path.of("/proc/" + pid + "/ns/" + FILES[kind.ordinal()]);
  }

  /** The namespace inode of a process, or -1 when it is gone (or the kernel lacks that kind). */
  static long inode(int pid, NamespaceKind kind) {
    try {
      String link = Files.readSymbolicLink(file(pid, kind)).toString(); // "uts:[4026531838]"
      int open = link.indexOf('[');
      return open < 0 ? -1 : Long.parseLong(link, open + 1, link.length() - 1, 10);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static int pidOf(String name) {
    int pid = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      pid = pid * 10 + (c - '0');
    }
    return pid;
  }
}

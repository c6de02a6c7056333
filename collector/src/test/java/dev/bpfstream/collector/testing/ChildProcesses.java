package dev.bpfstream.collector.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Child processes a test starts (e.g. unshare), killed with all their descendants on close. */
public final class ChildProcesses implements AutoCloseable {
  private final List<Process> started = new ArrayList<>();

  public Process start(String... command) throws IOException {
    return start(ProcessBuilder.Redirect.DISCARD, command);
  }

  /** Starts {@code command} with its stdout and stderr going to {@code output}. */
  public Process start(ProcessBuilder.Redirect output, String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
    started.add(p);
    return p;
  }

  /** The process itself or a descendant whose comm is {@code comm}, waiting up to 10 s for it. */
  public static ProcessHandle await(Process p, String comm) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      ProcessHandle found = Stream.concat(Stream.of(p.toHandle()), p.descendants())
          .filter(h -> comm.equals(comm(h.pid()))).findFirst().orElse(null);
      if (found != null) {
        return found;
      }
      if (!p.isAlive()) {
        throw new AssertionError("child exited with " + p.exitValue() + " before a '" + comm + "' appeared");
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no '" + comm + "' process under pid " + p.pid() + " within 10 s");
  }

  /** The namespace inode of a process, read from /proc/PID/ns/KIND. */
  public static long nsInode(long pid, String kind) throws IOException {
    String link = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + kind)).toString();
    return Long.parseLong(link.substring(link.indexOf('[') + 1, link.length() - 1));
  }

  private static String comm(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** Kills each child and its descendants, and waits until they are reaped. */
  @Override
  public void close() throws InterruptedException {
    for (Process p : started) {
      List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
      all.forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      for (ProcessHandle h : all) {
        h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> h).join();
      }
    }
    started.clear();
  }
}

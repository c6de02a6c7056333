package dev.bpfstream.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One part of the cluster: a JVM of its own, its output in a log file, its pid in a pid file. Every
 * command line carries {@code -Dbpfstream.node=NAME@DATA_DIR}, so a pid file is only ever trusted for
 * a process that still has that mark (a pid reused by something else is left alone).
 */
public final class NodeProcess {
  static final String MARK = "-Dbpfstream.node=";

  private final String name;
  private final ProcessHandle handle;
  private final Path pidFile;
  private final Path logFile;

  private NodeProcess(String name, ProcessHandle handle, Path pidFile, Path logFile) {
    this.name = name;
    this.handle = handle;
    this.pidFile = pidFile;
    this.logFile = logFile;
  }

  /**
   * Starts {@code java} with {@code jvmArgs}, the main class and its arguments. The process gets a
   * session of its own (setsid), so Ctrl-C in the terminal that ran {@code cluster up} does not reach it.
   */
  static NodeProcess start(ClusterLayout layout, String name, List<String> jvmArgs, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(MARK + mark(name, layout));
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(layout.classpath());
    cmd.add(mainClass);
    cmd.addAll(args);
    Path log = layout.logs().resolve(name + ".out");
    Path pid = layout.run().resolve(name + ".pid");
    try {
      Files.createDirectories(layout.logs());
      Files.createDirectories(layout.run());
      Process p = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      Files.writeString(pid, p.pid() + "\n");
      return new NodeProcess(name, p.toHandle(), pid, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /** The process a pid file names, if it is alive and still ours. */
  static Optional<NodeProcess> find(ClusterLayout layout, String name) {
    Path pid = layout.run().resolve(name + ".pid");
    if (!Files.isRegularFile(pid)) {
      return Optional.empty();
    }
    try {
      long id = Long.parseLong(Files.readString(pid).trim());
      Optional<ProcessHandle> h = ProcessHandle.of(id).filter(ProcessHandle::isAlive);
      if (h.isEmpty() || !cmdline(id).contains(MARK + mark(name, layout))) {
        return Optional.empty();
      }
      return Optional.of(new NodeProcess(name, h.get(), pid, layout.logs().resolve(name + ".out")));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String mark(String name, ClusterLayout layout) {
    return name + "@" + layout.dataDir();
  }

  private static String cmdline(long pid) throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
    return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
  }

  public String name() {
    return name;
  }

  public long pid() {
    return handle.pid();
  }

  public boolean alive() {
    return handle.isAlive();
  }

  public Path logFile() {
    return logFile;
  }

  /** SIGKILL, as {@code kill -9}: no shutdown hook, no flush. Returns once the process is gone. */
  public void kill() {
    handle.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
    forget();
  }

  /** SIGTERM, then SIGKILL if it is still there after {@code grace}. */
  public void stop(Duration grace) {
    if (handle.isAlive()) {
      handle.destroy();
      if (!awaitExit(grace)) {
        handle.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
      }
    }
    forget();
  }

  private boolean awaitExit(Duration d) {
    try {
      handle.onExit().get(d.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.isAlive();
    } catch (java.util.concurrent.ExecutionException e) {
      return !handle.isAlive();
    }
  }

  private void forget() {
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      // a stale pid file is checked against the process's mark before it is trusted
    }
  }

  /** The last lines of its output, for an error message. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no output in " + logFile + ")";
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}

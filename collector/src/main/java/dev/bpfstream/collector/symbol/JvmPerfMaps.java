package dev.bpfstream.collector.symbol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import javax.management.JMException;
import javax.management.ObjectName;

import dev.bpfstream.collector.bpf.BpfException;
import dev.bpfstream.collector.bpf.PidFd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks running HotSpot JVMs (Java 17+) to write their JIT symbol map, as {@code jcmd PID
 * Compiler.perfmap} does: over the JVM's attach socket, {@code /tmp/.java_pidNSPID} inside the
 * JVM's own root and pid namespace (reached through /proc/PID/root, so containers work). The JVM
 * writes /tmp/perf-NSPID.map, which {@link PerfMap} reads. Compiled code changes as the JVM runs,
 * so a JVM whose samples had unnamed frames is asked again, at most once per {@code minInterval}.
 *
 * <p>A JVM that does not listen yet is started as jcmd starts it: a trigger file
 * {@code /tmp/.attach_pidNSPID} and SIGQUIT, at most once in the JVM's life and for one JVM per
 * drain, and only when {@link HotSpotProcess} finds that safe (SIGQUIT ends a process without a
 * handler for it and makes a JVM that cannot attach print a thread dump). The signal goes through
 * a pidfd opened before the checks, so it cannot reach another process that took the pid since.
 * The trigger file stays until the socket appears (a JVM that finds no trigger file when it
 * handles the signal prints a thread dump instead), at most {@link #TRIGGER_GRACE_NS}; one that
 * exists already means another tool is attaching, and the JVM is left alone this time. The
 * collector's own JVM is asked in-process (its DiagnosticCommand MBean), never signalled.
 */
final class JvmPerfMaps {
  private static final Logger log = LoggerFactory.getLogger(JvmPerfMaps.class);
  static final long MIN_INTERVAL_NS = 30_000_000_000L;
  static final int MAX_PER_DRAIN = 4;
  static final long TRIGGER_GRACE_NS = 60_000_000_000L;
  private static final long ATTACH_TIMEOUT_MS = 3_000;
  /** How long a drain waits for a signalled JVM's socket before leaving it to the next drain. */
  private static final long LISTENER_WAIT_MS = 500;

  private final Path proc;
  private final long minIntervalNs;
  private final boolean enabled;
  private final int self;
  private final Map<Integer, Jvm> jvms = new HashMap<>();
  private int askedThisDrain;
  private boolean signalledThisDrain;
  long requests;
  long written;
  long failures;
  long skipped;
  long signalled;

  /** One process seen with unnamed JIT frames, for its lifetime ({@code startTime} tells a reused pid). */
  private static final class Jvm {
    final long startTime;
    String skip;
    long lastAskedNs;
    boolean asked;
    boolean wasSignalled;
    Path trigger;
    Path socket;
    long triggerSetNs;

    Jvm(long startTime) {
      this.startTime = startTime;
    }
  }

  /** @param enabled false: no JVM is asked (profile.jvm-perfmap=off); maps they wrote are still read */
  JvmPerfMaps(Path proc, long minIntervalNs, boolean enabled) {
    this.proc = proc;
    this.minIntervalNs = minIntervalNs;
    this.enabled = enabled;
    this.self = selfPid(proc);
  }

  void beginDrain() {
    askedThisDrain = 0;
    signalledThisDrain = false;
    long now = System.nanoTime();
    for (Iterator<Map.Entry<Integer, Jvm>> it = jvms.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, Jvm> e = it.next();
      Jvm j = e.getValue();
      boolean alive = Files.exists(proc.resolve(Integer.toString(e.getKey())));
      if (j.trigger != null && (!alive || Files.exists(j.socket) || now - j.triggerSetNs > TRIGGER_GRACE_NS)) {
        if (alive && !Files.exists(j.socket)) {
          failures++;
          log.info("JVM {} started no attach listener within {} s of SIGQUIT; not signalled again", e.getKey(), TRIGGER_GRACE_NS / 1_000_000_000L);
        }
        removeTrigger(j);
      }
      if (!alive) {
        it.remove();
      }
    }
  }

  /**
   * Asks process {@code pid} (its pid in its own namespace: {@code nsPid}), whose samples have
   * unnamed JIT frames, for a fresh perf map when it is a HotSpot JVM and is due; true when it
   * wrote one. {@code hotSpot}: whether it maps libjvm.so.
   */
  boolean refresh(int pid, int nsPid, boolean hotSpot, long nowNs) {
    if (!enabled) {
      return false;
    }
    Jvm j;
    try {
      j = jvm(pid);
    } catch (IOException | RuntimeException e) {
      return false; // exited
    }
    if (j.skip != null) {
      return false;
    }
    if (!hotSpot) {
      skip(pid, j, new HotSpotProcess.Skip("not a HotSpot JVM (no libjvm.so mapped)", true), false);
      return false;
    }
    if (askedThisDrain >= MAX_PER_DRAIN || (j.asked && nowNs - j.lastAskedNs < minIntervalNs)) {
      return false;
    }
    if (pid == self) {
      return askSelf(j, nowNs);
    }
    Path root = proc.resolve(Integer.toString(pid)).resolve("root").resolve("tmp");
    Path socket = root.resolve(".java_pid" + nsPid);
    if (!Files.exists(socket)) {
      if (j.trigger != null || signalledThisDrain) {
        return false; // waiting for the listener, or another JVM's turn
      }
      if (j.wasSignalled) {
        skip(pid, j, new HotSpotProcess.Skip("its attach listener is gone (signalled once already)", true), true);
        return false;
      }
      if (!startListener(pid, nsPid, j, root, socket)) {
        return false;
      }
    }
    j.asked = true;
    j.lastAskedNs = nowNs;
    askedThisDrain++;
    requests++;
    try {
      String out = jcmd(socket, "Compiler.perfmap");
      if (!out.startsWith("0")) {
        failures++;
        log.debug("jcmd {} Compiler.perfmap: {}", pid, out.strip());
        return false;
      }
      written++;
      return true;
    } catch (IOException | RuntimeException e) {
      failures++;
      log.debug("jcmd {} Compiler.perfmap: {}", pid, e.toString());
      return false;
    }
  }

  private Jvm jvm(int pid) throws IOException {
    long start = HotSpotProcess.startTime(proc.resolve(Integer.toString(pid)));
    Jvm j = jvms.get(pid);
    if (j == null || j.startTime != start) {
      j = new Jvm(start);
      jvms.put(pid, j);
    }
    return j;
  }

  private void skip(int pid, Jvm j, HotSpotProcess.Skip why, boolean jvm) {
    skipped++;
    if (why.lasting()) {
      j.skip = why.reason();
      if (jvm) {
        log.info("JVM {} not asked for its perf map (its JIT frames stay addresses): {}; "
            + "start it with -XX:+StartAttachListener to have it named", pid, why.reason());
      } else {
        log.debug("process {} has unnamed JIT frames and is not asked: {}", pid, why.reason());
      }
    }
  }

  /**
   * Trigger file and SIGQUIT, when {@link HotSpotProcess} finds them safe; true when the socket
   * appeared within {@link #LISTENER_WAIT_MS} (else a later drain finds it).
   */
  private boolean startListener(int pid, int nsPid, Jvm j, Path tmp, Path socket) {
    Path dir = proc.resolve(Integer.toString(pid));
    try (PidFd held = PidFd.open(pid)) {
      if (HotSpotProcess.startTime(dir) != j.startTime) {
        return false; // the pid is another process's now
      }
      HotSpotProcess.Skip why = HotSpotProcess.whyNotSignal(dir, nsPid);
      if (why != null) {
        skip(pid, j, why, true);
        return false;
      }
      String name = ".attach_pid" + nsPid;
      if (Files.exists(dir.resolve("cwd").resolve(name))) {
        return false; // another tool is attaching
      }
      Path trigger = tmp.resolve(name);
      try {
        Files.createFile(trigger);
      } catch (FileAlreadyExistsException e) {
        return false; // another tool is attaching
      }
      j.trigger = trigger;
      j.socket = socket;
      j.triggerSetNs = System.nanoTime();
      // The JVM takes a trigger file only from its own user or root, as it sees them.
      HotSpotProcess.Status status = HotSpotProcess.Status.read(dir);
      Files.setAttribute(trigger, "unix:gid", status.gid());
      Files.setAttribute(trigger, "unix:uid", status.uid());
      if (Files.exists(socket) || !status.handlesSigquit()) {
        removeTrigger(j); // a listener came up meanwhile (a thread dump if signalled now)
        return Files.exists(socket);
      }
      held.signal(PidFd.SIGQUIT);
      j.wasSignalled = true;
      signalled++;
      signalledThisDrain = true;
      log.info("JVM {} asked to start its attach listener (trigger file and SIGQUIT, as jcmd does) for its perf map", pid);
      long deadline = System.nanoTime() + LISTENER_WAIT_MS * 1_000_000;
      while (!Files.exists(socket) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      if (!Files.exists(socket)) {
        return false;
      }
      removeTrigger(j);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (IOException | BpfException e) {
      if (j.trigger != null && !j.wasSignalled) {
        removeTrigger(j);
      }
      log.debug("JVM {}: attach listener not started: {}", pid, e.toString());
      return false;
    }
  }

  private static void removeTrigger(Jvm j) {
    try {
      Files.deleteIfExists(j.trigger);
    } catch (IOException e) {
      log.debug("trigger file {}: {}", j.trigger, e.toString());
    }
    j.trigger = null;
  }

  /** The collector's own JVM writes its map through its DiagnosticCommand MBean. */
  private boolean askSelf(Jvm j, long nowNs) {
    j.asked = true;
    j.lastAskedNs = nowNs;
    askedThisDrain++;
    requests++;
    try {
      ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
          "compilerPerfmap", new Object[0], new String[0]);
      written++;
      return true;
    } catch (JMException | RuntimeException e) {
      failures++;
      log.debug("Compiler.perfmap of the collector's own JVM: {}", e.toString());
      return false;
    }
  }

  private static String jcmd(Path socket, String command) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
         Selector selector = Selector.open()) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      // Attach protocol 1: version, command, three arguments, each NUL-terminated.
      ch.write(ByteBuffer.wrap(("1\0jcmd\0" + command + "\0\0\0").getBytes(StandardCharsets.UTF_8)));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(4096);
      long deadline = System.nanoTime() + ATTACH_TIMEOUT_MS * 1_000_000;
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new IOException("no answer within " + ATTACH_TIMEOUT_MS + " ms");
        }
        selector.select(left);
        selector.selectedKeys().clear();
        int n = ch.read(buf);
        if (n < 0) {
          break;
        }
        if (out.size() < 65_536) {
          out.write(buf.array(), 0, buf.position());
        }
        buf.clear();
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** Whether the process maps HotSpot's libjvm.so. */
  static boolean isHotSpot(ProcessMaps maps) {
    return maps != null && maps.regions().stream().anyMatch(r -> r.path().endsWith("/libjvm.so"));
  }

  private static int selfPid(Path proc) {
    try {
      return Integer.parseInt(Files.readSymbolicLink(proc.resolve("self")).toString());
    } catch (IOException | RuntimeException e) {
      return (int) ProcessHandle.current().pid();
    }
  }
}

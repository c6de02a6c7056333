package dev.bpfstream.collector.symbol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks running HotSpot JVMs (JDK 17+) to write their JIT symbol map, as {@code jcmd PID
 * Compiler.perfmap} does: over the JVM's attach socket, {@code /tmp/.java_pidNSPID} inside the
 * JVM's own root and pid namespace (reached through /proc/PID/root, so containers work). The JVM
 * writes /tmp/perf-NSPID.map, which {@link PerfMap} reads. Compiled code changes as the JVM runs,
 * so a JVM whose samples had unnamed frames is asked again, at most once per {@code minInterval}.
 * Only a JVM that already listens is asked (started with -XX:+StartAttachListener, or attached to
 * once, e.g. by jcmd): the collector never sends SIGQUIT, which a JVM whose listener is already up
 * answers with a thread dump on its stdout, and which ends one run with -Xrs.
 */
final class JvmPerfMaps {
  private static final Logger log = LoggerFactory.getLogger(JvmPerfMaps.class);
  static final long MIN_INTERVAL_NS = 30_000_000_000L;
  static final int MAX_PER_DRAIN = 4;
  private static final long ATTACH_TIMEOUT_MS = 3_000;

  private final Path proc;
  private final long minIntervalNs;
  private final Map<Integer, Long> lastAsked = new HashMap<>();
  private int askedThisDrain;
  long requests;
  long written;
  long failures;
  long refused;

  JvmPerfMaps(Path proc, long minIntervalNs) {
    this.proc = proc;
    this.minIntervalNs = minIntervalNs;
  }

  void beginDrain() {
    askedThisDrain = 0;
    if (lastAsked.size() > 4096) {
      lastAsked.keySet().removeIf(pid -> !Files.exists(proc.resolve(Integer.toString(pid))));
    }
  }

  /** Whether {@code pid} may be asked now (not asked within the interval, few enough this drain). */
  boolean due(int pid, long nowNs) {
    Long last = lastAsked.get(pid);
    return askedThisDrain < MAX_PER_DRAIN && (last == null || nowNs - last >= minIntervalNs);
  }

  /** Asks JVM {@code pid} (its pid in its own namespace: {@code nsPid}) for a fresh perf map; true when it wrote one. */
  boolean request(int pid, int nsPid, long nowNs) {
    lastAsked.put(pid, nowNs);
    askedThisDrain++;
    requests++;
    try {
      String out = jcmd(pid, nsPid, "Compiler.perfmap");
      if (!out.startsWith("0")) {
        failures++;
        log.debug("jcmd {} Compiler.perfmap: {}", pid, out.strip());
        return false;
      }
      written++;
      return true;
    } catch (Refused e) {
      refused++;
      log.debug("not asking JVM {} for its perf map: {}", pid, e.getMessage());
      return false;
    } catch (IOException | RuntimeException e) {
      failures++;
      log.debug("jcmd {} Compiler.perfmap: {}", pid, e.toString());
      return false;
    }
  }

  private String jcmd(int pid, int nsPid, String command) throws IOException {
    Path dir = proc.resolve(Integer.toString(pid));
    Path socket = dir.resolve("root").resolve("tmp").resolve(".java_pid" + nsPid);
    if (!Files.exists(socket)) {
      throw new Refused("no attach listener: start the JVM with -XX:+StartAttachListener (or attach once with jcmd PID VM.version)");
    }
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

  private static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }
  }
}

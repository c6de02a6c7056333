package dev.bpfstream.collector.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.bpf.NamespaceFile;

/**
 * A named network namespace (`ip netns add`) with only loopback, up; deleted on close. Commands run
 * in it with `ip netns exec`; Java code runs in it on a thread that setns'ed there, and sockets it
 * creates stay in the namespace whichever thread uses them later.
 */
public final class NetworkNamespace implements AutoCloseable {
  private static final int CLONE_NEWNET = 0x40000000;
  private final String name;

  private NetworkNamespace(String name) {
    this.name = name;
  }

  public static NetworkNamespace create() throws IOException, InterruptedException {
    NetworkNamespace ns = new NetworkNamespace("bpfs-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20));
    run(null, "ip", "netns", "add", ns.name);
    try {
      run(null, "ip", "-n", ns.name, "link", "set", "lo", "up");
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  public String name() {
    return name;
  }

  /** Runs a command inside the namespace; {@code stdin} may be null. Fails with its output if it fails. */
  public String exec(String stdin, String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
    cmd.addAll(List.of(command));
    return run(stdin, cmd.toArray(String[]::new));
  }

  /** Runs {@code work} on a fresh thread that entered the namespace; returns its result. */
  public <T> T call(Callable<T> work) throws Exception {
    FutureTask<T> task = new FutureTask<>(() -> {
      try (NamespaceFile f = NamespaceFile.open(Path.of("/var/run/netns", name))) {
        if (f == null) {
          throw new IOException("cannot open /var/run/netns/" + name);
        }
        f.enter(CLONE_NEWNET);
      }
      return work.call();
    });
    Thread t = new Thread(task, "in-netns-" + name);
    t.start();
    try {
      return task.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run(null, "ip", "netns", "del", name);
  }

  private static String run(String stdin, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (stdin != null) {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } else {
      p.getOutputStream().close();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
    }
    return out;
  }
}

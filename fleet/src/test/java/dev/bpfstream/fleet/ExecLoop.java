package dev.bpfstream.fleet;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Runs a program of the test's own (a copy of /bin/true under a unique name) every 100 ms: exec and exit events the collector must see. */
final class ExecLoop {
  private final AtomicLong count = new AtomicLong();
  private final Thread thread;
  private volatile boolean stopped;

  ExecLoop(Path program) {
    thread = new Thread(() -> {
      while (!stopped) {
        try {
          Process p = new ProcessBuilder(program.toString()).start();
          p.waitFor(10, TimeUnit.SECONDS);
          count.incrementAndGet();
          Thread.sleep(100);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }, "exec-loop");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() throws InterruptedException {
    stopped = true;
    thread.join(30_000);
  }

  long count() {
    return count.get();
  }
}

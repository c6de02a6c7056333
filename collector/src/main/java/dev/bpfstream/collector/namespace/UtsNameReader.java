package dev.bpfstream.collector.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.bpfstream.collector.bpf.NamespaceFile;

/**
 * nodename and domainname of UTS namespaces, read with uname(2) after setns(2) on ONE dedicated
 * thread (setns of a UTS namespace changes only the calling thread). The thread returns to its own
 * namespace after each read and checks that it did; a thread found anywhere else is discarded and
 * a new one started, so no other code ever runs in a foreign namespace.
 */
final class UtsNameReader implements AutoCloseable {
  record UtsNames(String nodename, String domainname) {
  }

  private static final Path SELF_UTS = Path.of("/proc/thread-self/ns/uts");

  private Worker worker; // guarded by this
  private long replaced; // guarded by this
  private boolean closed; // guarded by this

  /** The names seen inside the namespace of {@code target}; throws with the reason when it cannot. */
  synchronized UtsNames read(NamespaceFile target) {
    try {
      return call(w -> w.read(target));
    } catch (StrayWorkerException e) {
      // The worker was not at home before the read: discarded by call(); one retry on a fresh one.
      return call(w -> w.read(target));
    }
  }

  /** How many worker threads were discarded because they could not get back to their namespace. */
  synchronized long replacedWorkers() {
    return replaced;
  }

  /** Runs {@code task} on the worker thread (tests use it to misplace the worker). */
  synchronized void onWorker(Runnable task) {
    call(w -> {
      task.run();
      return null;
    });
  }

  private <T> T call(Function<Worker, T> task) {
    Worker w = worker();
    Future<T> f = w.thread.submit(() -> task.apply(w));
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      w.lost = true;
      throw new IllegalStateException("uts reader thread did not answer within 5 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading UTS names");
    } finally {
      if (w.lost) {
        discard(w);
      }
    }
  }

  private Worker worker() {
    if (closed) {
      throw new IllegalStateException("uts reader is closed");
    }
    if (worker == null) {
      worker = new Worker();
    }
    return worker;
  }

  private void discard(Worker w) {
    if (worker == w) {
      worker = null;
      replaced++;
    }
    w.thread.shutdownNow();
    w.closeHome();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (worker != null) {
      worker.thread.shutdownNow();
      worker.closeHome();
      worker = null;
    }
  }

  private static long currentInode() {
    try {
      String link = Files.readSymbolicLink(SELF_UTS).toString();
      return Long.parseLong(link, link.indexOf('[') + 1, link.length() - 1, 10);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static final class StrayWorkerException extends IllegalStateException {
    StrayWorkerException() {
      super("uts reader thread was outside its own UTS namespace");
    }
  }

  /** One thread and the namespace it belongs in. home/homeInode are touched only on that thread. */
  private static final class Worker {
    final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bpfstream-uts-reader");
      t.setDaemon(true);
      return t;
    });
    volatile boolean lost;
    private volatile NamespaceFile home;
    private long homeInode;

    UtsNames read(NamespaceFile target) {
      if (home == null) {
        home = NamespaceFile.open(SELF_UTS);
        if (home == null) {
          throw new IllegalStateException("cannot open " + SELF_UTS + ": procfs not mounted?");
        }
        homeInode = home.inode();
      }
      if (currentInode() != homeInode) {
        lost = true;
        throw new StrayWorkerException();
      }
      if (target.inode() == homeInode) {
        return names();
      }
      target.enter(NamespaceFile.CLONE_NEWUTS);
      try {
        return names();
      } finally {
        try {
          home.enter(NamespaceFile.CLONE_NEWUTS);
        } catch (RuntimeException e) {
          lost = true;
        }
        if (currentInode() != homeInode) {
          lost = true;
        }
      }
    }

    private static UtsNames names() {
      String[] n = NamespaceFile.utsNames();
      return new UtsNames(n[0], n[1]);
    }

    void closeHome() {
      NamespaceFile h = home;
      if (h != null) {
        h.close();
      }
    }
  }
}

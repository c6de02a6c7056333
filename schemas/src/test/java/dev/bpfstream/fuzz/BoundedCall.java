package dev.bpfstream.fuzz;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one parser call on a worker thread and fails when it has not answered within a generous bound:
 * the hang detector of the fuzz tests (a parser stuck in a loop on hostile input), not a timing check.
 */
public final class BoundedCall {
  /** What the call returned or threw. */
  public record Outcome<T>(T value, Throwable thrown) {
  }

  private final Duration bound;
  private ExecutorService worker = newWorker();

  public BoundedCall(Duration bound) {
    this.bound = bound;
  }

  public <T> Outcome<T> run(Callable<T> call, Object input) {
    Future<T> f = worker.submit(call);
    try {
      return new Outcome<>(f.get(bound.toMillis(), TimeUnit.MILLISECONDS), null);
    } catch (ExecutionException e) {
      return new Outcome<>(null, e.getCause());
    } catch (TimeoutException e) {
      f.cancel(true);
      worker.shutdownNow();
      worker = newWorker(); // the stuck thread is a daemon; later cases get a fresh one
      throw new AssertionError("no answer within " + bound.toSeconds() + " s (a hang) on input: " + input);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-case");
      t.setDaemon(true);
      return t;
    });
  }
}

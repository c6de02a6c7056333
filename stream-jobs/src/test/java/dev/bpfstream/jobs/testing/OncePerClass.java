package dev.bpfstream.jobs.testing;

/**
 * A result computed once for a test class, by the first test that asks (e.g. one run of a job whose
 * output each test then checks for one behaviour). A failed computation fails every test that asks
 * after it, with the first failure as the cause, instead of running again.
 */
public final class OncePerClass<T> {
  /** What to compute. */
  @FunctionalInterface
  public interface Computation<T> {
    T compute() throws Exception;
  }

  private T value;
  private Throwable failed;

  public synchronized T get(Computation<T> computation) throws Exception {
    if (failed != null) {
      throw new AssertionError("the class's shared run failed (see the first failing test)", failed);
    }
    if (value == null) {
      try {
        value = computation.compute();
      } catch (Exception | AssertionError e) {
        failed = e;
        throw e;
      }
    }
    return value;
  }
}

package dev.bpfstream.collector.testing;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A C load for scheduler tests: {@code load THREADS MILLIS SLEEP_US} runs THREADS threads for
 * MILLIS ms, each spinning ~50 us then sleeping SLEEP_US (0: spin only), then exits.
 */
public final class SchedulerLoad {
  static final String SOURCE = """
      #include <pthread.h>
      #include <stdlib.h>
      #include <time.h>
      static long millis, sleep_us;
      static long long now_ns(void) {
        struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
        return t.tv_sec * 1000000000LL + t.tv_nsec;
      }
      static void *run(void *arg) {
        long long end = now_ns() + millis * 1000000LL;
        struct timespec nap = { 0, sleep_us * 1000 };
        while (now_ns() < end) {
          long long spin = now_ns() + 50000;
          while (now_ns() < spin) ;
          if (sleep_us) nanosleep(&nap, 0);
        }
        return 0;
      }
      int main(int argc, char **argv) {
        int n = atoi(argv[1]); millis = atol(argv[2]); sleep_us = atol(argv[3]);
        pthread_t t[64];
        for (int i = 0; i < n && i < 64; i++) pthread_create(&t[i], 0, run, 0);
        for (int i = 0; i < n && i < 64; i++) pthread_join(t[i], 0);
        return 0;
      }
      """;

  private SchedulerLoad() {
  }

  public static Path compile(Path dir) throws IOException, InterruptedException {
    return CProgram.compile(dir, "load", SOURCE, "-pthread");
  }
}

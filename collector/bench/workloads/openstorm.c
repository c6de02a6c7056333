// Overload workload: an open() storm from one thread per CPU, each pinned to its CPU, for a fixed
// time. A missing path makes each call a cheap failed open (ENOENT); the empty path "" fails
// before any lookup, the most events per second a process can make the open probe attempt.
// Prints opens and opens/s.
//   openstorm SECONDS PATH [THREADS]      (THREADS: default the online CPU count)
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static const char *path;
static volatile int stop;

static void *storm(void *arg)
{
  long cpu = (long)arg;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof(set), &set);
  long n = 0;
  while (!stop) {
    for (int i = 0; i < 1000; i++) {
      int fd = open(path, O_RDONLY);
      if (fd >= 0)
        close(fd);
    }
    n += 1000;
  }
  return (void *)n;
}

int main(int argc, char **argv)
{
  if (argc < 3) {
    fprintf(stderr, "usage: %s SECONDS PATH [THREADS]\n", argv[0]);
    return 2;
  }
  double seconds = atof(argv[1]);
  path = argv[2];
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  long threads = argc > 3 ? atol(argv[3]) : cpus;
  pthread_t t[256];
  if (threads < 1 || threads > 256)
    return 2;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < threads; i++)
    pthread_create(&t[i], NULL, storm, (void *)(i % cpus));
  struct timespec d = { (time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9) };
  nanosleep(&d, NULL);
  stop = 1;
  long total = 0;
  for (long i = 0; i < threads; i++) {
    void *n;
    pthread_join(t[i], &n);
    total += (long)n;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
  printf("%ld opens in %.3f s = %.0f opens/s\n", total, s, total / s);
  return 0;
}

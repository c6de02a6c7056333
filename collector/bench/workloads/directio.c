// Workload for biosnoop/biolatency overhead: N O_DIRECT 4 KiB writes cycling over a 64 MiB file,
// so every write is one block request. Prints writes/s.
//   directio N FILE
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 20000;
  const char *path = argc > 2 ? argv[2] : "directio.dat";
  int fd = open(path, O_WRONLY | O_CREAT | O_DIRECT, 0600);
  void *buf;
  if (fd < 0 || posix_memalign(&buf, 4096, 4096)) { perror(path); return 1; }
  memset(buf, 0x5a, 4096);
  long blocks = (64L << 20) / 4096;
  struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++) {
    if (pwrite(fd, buf, 4096, (i % blocks) * 4096) != 4096) { perror("pwrite"); return 1; }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
  printf("%ld writes in %.3f s = %.0f writes/s\n", n, s, n / s);
  return 0;
}

// Workload for file-slower and cachestat overhead: N pread()s of 4 KiB walking a file (page-cache
// hits once the file is cached). Prints reads/s.
//   preadloop N FILE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  const char *path = argc > 2 ? argv[2] : "/etc/hostname";
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 4096) { perror(path); return 1; }
  long blocks = st.st_size / 4096;
  char buf[4096];
  struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++) {
    if (pread(fd, buf, sizeof(buf), (i % blocks) * 4096) < 0) { perror("pread"); return 1; }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
  printf("%ld reads in %.3f s = %.0f reads/s\n", n, s, n / s);
  return 0;
}

// Workload for the tcp and tcpretrans probes, on 127.0.0.1:
//   tcploop N accept    N connect + accept + 100-byte exchange + close (connect, accept, 2 closes)
//   tcploop N refused   N connects to a closed port (a reset sent and a reset received each)
// Prints connections/s.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10000;
  int refused = argc > 2 && strcmp(argv[2], "refused") == 0;
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof(sa);
  int l = socket(AF_INET, SOCK_STREAM, 0);
  if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || getsockname(l, (struct sockaddr *)&sa, &len)) { perror("bind"); return 1; }
  if (refused) close(l); /* the port stays unused: connects are refused */
  else if (listen(l, 128)) { perror("listen"); return 1; }
  char buf[100] = {0};
  struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++) {
    int c = socket(AF_INET, SOCK_STREAM, 0);
    int rc = connect(c, (struct sockaddr *)&sa, sizeof(sa));
    if (refused) {
      if (rc == 0) { fprintf(stderr, "connect to a closed port succeeded\n"); return 1; }
      close(c);
      continue;
    }
    if (rc) { perror("connect"); return 1; }
    int s = accept(l, NULL, NULL);
    if (s < 0 || write(c, buf, sizeof(buf)) != sizeof(buf) || read(s, buf, sizeof(buf)) <= 0) { perror("exchange"); return 1; }
    close(s); /* the server closes first: TIME_WAIT stays on its side, client ports are not used up */
    close(c);
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
  printf("%ld connections in %.3f s = %.0f connections/s\n", n, s, n / s);
  return 0;
}

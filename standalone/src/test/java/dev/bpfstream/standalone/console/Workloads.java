package dev.bpfstream.standalone.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The programs the browser tests run: built here with gcc, each with a name only this test uses. */
final class Workloads {
  /** The busy function of the C program; its frame must show in the flame graph. */
  static final String C_BUSY_FUNCTION = "bpfstream_console_busy_kestrel";
  /** The busy method of the Java program; its name must show in the flame graph, not a JIT address. */
  static final String JAVA_BUSY_METHOD = "bpfstreamConsoleBusyOsprey";

  private Workloads() {
  }

  static String compilerMissing() {
    return dev.bpfstream.broker.junit.Prerequisites.commandMissing("gcc", "gcc");
  }

  /** Spins {@code threads} threads in {@link #C_BUSY_FUNCTION} for {@code seconds}: CPU samples and run-queue waits. */
  static Path busyProgram(Path dir) throws IOException, InterruptedException {
    return compile(dir, "busy", """
        #include <pthread.h>
        #include <stdlib.h>
        #include <time.h>
        static time_t end;
        __attribute__((noinline)) unsigned long %s(unsigned long n) {
          volatile unsigned long x = 0;
          for (unsigned long i = 0; i < n; i++) x += i * i;
          return x;
        }
        static void *spin(void *arg) {
          (void) arg;
          while (time(0) < end) %s(2000000);
          return 0;
        }
        int main(int argc, char **argv) {
          int threads = argc > 2 ? atoi(argv[2]) : 1;
          end = time(0) + atoi(argv[1]);
          pthread_t t[64];
          for (int i = 1; i < threads && i < 64; i++) pthread_create(&t[i], 0, spin, 0);
          spin(0);
          for (int i = 1; i < threads && i < 64; i++) pthread_join(t[i], 0);
          return 0;
        }
        """.formatted(C_BUSY_FUNCTION, C_BUSY_FUNCTION), "-pthread");
  }

  /**
   * A Java program (run from source by this JDK's launcher) spinning in {@link #JAVA_BUSY_METHOD}
   * for {@code args[0]} seconds; the method is kept out of its caller so JIT code of its own runs.
   */
  static List<String> javaBusyCommand(Path dir) throws IOException {
    Path src = dir.resolve("BusyJava.java");
    Files.writeString(src, """
        public class BusyJava {
          static volatile long sink;
          static long %s(long n) {
            long x = 0;
            for (long i = 0; i < n; i++) {
              x += (i * i) ^ (x >>> 3);
            }
            return x;
          }
          public static void main(String[] args) {
            long end = System.currentTimeMillis() + Long.parseLong(args[0]) * 1000;
            while (System.currentTimeMillis() < end) {
              sink += %s(5_000_000);
            }
          }
        }
        """.formatted(JAVA_BUSY_METHOD, JAVA_BUSY_METHOD), StandardCharsets.UTF_8);
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(java, "-XX:+UseSerialGC", "-Xmx64m", "-XX:+PreserveFramePointer", "-XX:CompileCommand=quiet",
        "-XX:CompileCommand=dontinline,BusyJava::" + JAVA_BUSY_METHOD, src.toString());
  }

  /** Opens a missing file as fast as one thread can for {@code argv[1]} seconds: more than a small ring holds. */
  static Path openStorm(Path dir) throws IOException, InterruptedException {
    return compile(dir, "openstorm", """
        #include <fcntl.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <time.h>
        int main(int argc, char **argv) {
          double secs = atof(argv[1]);
          struct timespec s, n;
          long count = 0;
          clock_gettime(CLOCK_MONOTONIC, &s);
          for (;;) {
            for (int i = 0; i < 1000; i++, count++) open("/nonexistent/bpfstream-console-storm", O_RDONLY);
            clock_gettime(CLOCK_MONOTONIC, &n);
            if ((n.tv_sec - s.tv_sec) + (n.tv_nsec - s.tv_nsec) / 1e9 > secs) break;
          }
          printf("%ld opens\\n", count);
          return 0;
        }
        """);
  }

  private static Path compile(Path dir, String name, String source, String... flags) throws IOException, InterruptedException {
    Path c = dir.resolve(name + ".c");
    Path bin = dir.resolve(name);
    Files.writeString(c, source, StandardCharsets.UTF_8);
    List<String> cmd = new ArrayList<>(List.of("gcc", "-O1", "-fno-omit-frame-pointer", "-o", bin.toString(), c.toString()));
    cmd.addAll(List.of(flags));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("gcc " + name + ".c failed: " + out);
    }
    return bin;
  }

  /** Runs {@code command} in a new pid namespace; returns the process and the namespace's inode (its first output line). */
  static Started inNewPidNamespace(List<String> command) throws IOException {
    // sh stays the namespace's init (a JVM as pid 1 would ignore signals it has no handler for);
    // --kill-child ends the namespace with unshare.
    List<String> cmd = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "sh", "-c",
        "readlink /proc/self/ns/pid; \"$@\"", "sh"));
    cmd.addAll(command);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = p.getInputStream().read()) >= 0 && c != '\n') {
      line.append((char) c);
    }
    String s = line.toString();
    if (!s.contains("[")) {
      throw new IOException("unshare did not print its pid namespace: " + s);
    }
    return new Started(p, Long.parseLong(s.substring(s.indexOf('[') + 1, s.indexOf(']'))));
  }

  record Started(Process process, long pidNs) {
  }
}

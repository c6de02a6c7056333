package dev.bpfstream.collector.probes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.tools.ToolProvider;

/** A Java program spinning in a method the test names, compiled by this JDK into the test's directory. */
final class BusyJava {
  private BusyJava() {
  }

  /** Compiles the program; returns its classes directory. The program prints "ready" after a second of spinning (JIT code by then). */
  static Path compile(Path dir, String method) throws IOException {
    Path classes = Files.createDirectories(dir.resolve("classes"));
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
            long ready = System.nanoTime() + 1_000_000_000L;
            boolean told = false;
            while (true) {
              sink += %s(2_000_000);
              if (!told && System.nanoTime() > ready) {
                System.out.println("ready");
                System.out.flush();
                told = true;
              }
            }
          }
        }
        """.formatted(method, method));
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
    if (rc != 0) {
      throw new IOException("javac BusyJava.java failed: " + rc);
    }
    return classes;
  }

  /** The command running it: this JDK's launcher, no attach options; the method is kept out of its caller so JIT code of its own runs. */
  static List<String> command(String classPath, String method) {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(java, "-Xmx32m", "-XX:+UseSerialGC", "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,BusyJava::" + method,
        "-cp", classPath, "BusyJava");
  }

  static void awaitReady(Path output, Process process) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(output).contains("ready")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the Java program did not start: " + Files.readString(output));
      }
      Thread.sleep(50);
    }
  }

  /** The pid of {@code pid} in its own pid namespace (the last NSpid of /proc/PID/status). */
  static String nsPid(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("NSpid:"))
        .map(l -> l.substring(l.lastIndexOf('\t') + 1).strip()).findFirst().orElseThrow();
  }
}

package dev.bpfstream.collector.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bpfstream.collector.cli.CollectorMain;

/**
 * `collector run` in a child JVM of its own (a real process to starve, kill -9 and restart), with
 * its output in a log file and its Prometheus endpoint on a free loopback port.
 */
public final class CollectorProcess implements AutoCloseable {
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(?:\\{probe=\"([^\"]+)\"})? (\\S+)$", Pattern.MULTILINE);
  private final Process process;
  private final Path log;
  private final int metricsPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private CollectorProcess(Process process, Path log, int metricsPort) {
    this.process = process;
    this.log = log;
    this.metricsPort = metricsPort;
  }

  /**
   * @param jvmOptions e.g. -Xmx128m
   * @param runArgs    arguments after `run` (the metrics port is added)
   */
  public static CollectorProcess start(Path log, List<String> jvmOptions, List<String> runArgs) throws IOException {
    return start(log, null, jvmOptions, runArgs);
  }

  /**
   * @param log    its stderr, and its stdout too when {@code stdout} is null
   * @param stdout where its stdout goes (`run --stdout`), or null
   */
  public static CollectorProcess start(Path log, Path stdout, List<String> jvmOptions, List<String> runArgs) throws IOException {
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CollectorMain.class.getName(), "run"));
    cmd.addAll(runArgs);
    cmd.addAll(List.of("--metrics-port", Integer.toString(port)));
    ProcessBuilder b = new ProcessBuilder(cmd);
    Process p = (stdout == null ? b.redirectErrorStream(true).redirectOutput(log.toFile())
        : b.redirectError(log.toFile()).redirectOutput(stdout.toFile())).start();
    return new CollectorProcess(p, log, port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  /** The last {@code lines} lines of its output. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Waits until the collector has attached its probes (its start line). */
  public CollectorProcess awaitStarted(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String out = output();
      if (out.contains("probe(s) attached")) {
        return this;
      }
      if (!process.isAlive()) {
        throw new AssertionError("collector exited with " + process.exitValue() + " before it started:\n" + out);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("collector did not start within " + timeout + ":\n" + output());
  }

  /** The endpoint's samples: "name" or "name{probe}" → value; empty when it does not answer. */
  public Map<String, Double> metrics() {
    Map<String, Double> out = new HashMap<>();
    try {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = SAMPLE.matcher(body);
      while (m.find()) {
        out.put(m.group(2) == null ? m.group(1) : m.group(1) + "{" + m.group(2) + "}", Double.parseDouble(m.group(3)));
      }
    } catch (IOException e) {
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /** SIGKILL: no shutdown hook, no flush, no last report. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: the collector detaches, drains, sends its last health report and exits; its exit code. */
  public int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("collector did not stop within " + timeout + "; its output ends:\n" + tail(40));
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}

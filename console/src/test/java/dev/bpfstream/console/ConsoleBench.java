package dev.bpfstream.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import dev.bpfstream.event.Namespaces;
import dev.bpfstream.event.ProfileSample;
import dev.bpfstream.event.TaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the console costs, over its real HTTP server on loopback: the flame graph of N distinct
 * stacks (aggregation over the stored rows, layout and SVG), the payload of each page, and the
 * fan-out of a change to every live page. Not a test (the name keeps it out of the default run):
 * prints figures for BENCHMARKS.md.
 * <pre>mvn -B -q -pl console -am verify -Dtest=ConsoleBench -Dsurefire.failIfNoSpecifiedTests=false
 * cat console/target/surefire-reports/*ConsoleBench-output.txt</pre>
 */
class ConsoleBench {
  private static final int INTERVALS = 10;
  private static final long INTERVAL_NS = 10_000_000_000L;

  @Test
  void flameGraphsPagesAndLiveUpdates(@TempDir Path dir) throws Exception {
    System.out.printf("console bench: %s, %d CPUs, load %s%n", System.getProperty("java.vm.version"),
        Runtime.getRuntime().availableProcessors(), loadAverage());
    for (int stacks : new int[] {1_000, 10_000, 50_000}) {
      flameGraph(dir, stacks);
    }
    pagesAndLiveUpdates(dir);
  }

  /** {@code stacks} distinct stacks, each in {@value #INTERVALS} intervals: {@code stacks * INTERVALS} stored rows. */
  private void flameGraph(Path dir, int stacks) throws Exception {
    long now = System.currentTimeMillis();
    ConsoleStore store = new ConsoleStore(java.time.Duration.ofHours(1), stacks * INTERVALS);
    fill(store, stacks, now);
    try (Served s = new Served(dir, store)) {
      String query = "?from=-15m";
      long[] svg = new long[12];
      long[] folded = new long[12];
      long[] json = new long[12];
      HttpResponse<byte[]> svgBody = null;
      HttpResponse<byte[]> foldedBody = null;
      HttpResponse<byte[]> jsonBody = null;
      for (int i = -3; i < svg.length; i++) { // 3 warm-up rounds
        long t0 = System.nanoTime();
        svgBody = s.get("/api/profile.svg" + query);
        long t1 = System.nanoTime();
        foldedBody = s.get("/api/profile.folded" + query);
        long t2 = System.nanoTime();
        jsonBody = s.get("/api/profile" + query);
        long t3 = System.nanoTime();
        if (i >= 0) {
          svg[i] = t1 - t0;
          folded[i] = t2 - t1;
          json[i] = t3 - t2;
        }
      }
      assertThat(svgBody.statusCode()).isEqualTo(200);
      String svgText = new String(svgBody.body(), StandardCharsets.UTF_8);
      long frames = svgText.split("<g class=\"f ", -1).length - 1;
      System.out.printf("flame graph: %,d distinct stacks, %,d rows (%d intervals)%n", stacks, stacks * INTERVALS, INTERVALS);
      System.out.printf("  /api/profile.svg    median %7.1f ms (min %.1f, max %.1f, %d requests); %,d bytes (%,d gzipped), %,d frames drawn%n",
          median(svg) / 1e6, min(svg) / 1e6, max(svg) / 1e6, svg.length, svgBody.body().length, gzipped(svgBody.body()), frames);
      System.out.printf("  /api/profile.folded median %7.1f ms (min %.1f, max %.1f); %,d bytes (%,d gzipped)%n",
          median(folded) / 1e6, min(folded) / 1e6, max(folded) / 1e6, foldedBody.body().length, gzipped(foldedBody.body()));
      System.out.printf("  /api/profile        median %7.1f ms (min %.1f, max %.1f); %,d bytes%n",
          median(json) / 1e6, min(json) / 1e6, max(json) / 1e6, jsonBody.body().length);
      assertThat(frames).isPositive();
    }
  }

  private void pagesAndLiveUpdates(Path dir) throws Exception {
    ConsoleStore store = new ConsoleStore(java.time.Duration.ofHours(1), 10_000);
    fill(store, 1_000, System.currentTimeMillis());
    try (Served s = new Served(dir, store)) {
      System.out.println("page payloads (bytes as served, gzipped in brackets; the server does not compress):");
      long all = 0;
      for (String page : ConsoleServer.PAGES) {
        String html = new String(s.get("/" + page).body(), StandardCharsets.UTF_8);
        List<String> assets = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:src|href)=\"(/(?:static|vendor)/[^\"]+)\"").matcher(html);
        while (m.find()) {
          assets.add(m.group(1));
        }
        long bytes = html.length();
        long zipped = gzipped(html.getBytes(StandardCharsets.UTF_8));
        for (String a : assets) {
          byte[] b = s.get(a).body();
          bytes += b.length;
          zipped += gzipped(b);
        }
        all = Math.max(all, bytes);
        System.out.printf("  /%-10s %,7d bytes (%,6d) in %d files: page and %s%n", page, bytes, zipped, 1 + assets.size(), String.join(", ", assets));
      }
      assertThat(all).isPositive();

      int clients = LiveUpdates.MAX_CLIENTS;
      List<Listener> listeners = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        listeners.add(new Listener(s.base + "/api/events", s.token));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (s.live.clients() < clients && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(s.live.clients()).isEqualTo(clients);
      int rounds = 20;
      long[] last = new long[rounds];
      long[] first = new long[rounds];
      for (int r = 0; r < rounds; r++) {
        CountDownLatch all1 = new CountDownLatch(clients);
        listeners.forEach(l -> l.arm(all1));
        long t0 = System.nanoTime();
        s.live.changed("profile");
        assertThat(all1.await(30, TimeUnit.SECONDS)).isTrue();
        first[r] = listeners.stream().mapToLong(l -> l.receivedNs).min().orElseThrow() - t0;
        last[r] = listeners.stream().mapToLong(l -> l.receivedNs).max().orElseThrow() - t0;
        Thread.sleep(100);
      }
      System.out.printf("live updates: one change to %d open event streams, %d rounds (the server waits %d ms to coalesce changes before it writes)%n",
          clients, rounds, 500);
      System.out.printf("  first page told: median %.1f ms; last page told: median %.1f ms (min %.1f, max %.1f)%n",
          median(first) / 1e6, median(last) / 1e6, min(last) / 1e6, max(last) / 1e6);
      System.out.printf("  fan-out beyond the coalescing wait (last minus 500 ms): median %.1f ms, max %.1f ms%n",
          median(last) / 1e6 - 500, max(last) / 1e6 - 500);
      // Closing the server ends every stream (a disconnect from this side would wait on the reading thread).
    }
  }

  /** Distinct stacks as a profile looks: a few commands, shared prefixes (Zipf-like choices at each level), depth 8 to 40. */
  private static void fill(ConsoleStore store, int stacks, long nowMs) {
    Random random = new Random(42);
    Set<List<String>> made = new HashSet<>();
    List<List<String>> all = new ArrayList<>();
    while (all.size() < stacks) {
      int depth = 8 + random.nextInt(33);
      List<String> frames = new ArrayList<>(depth);
      int parent = 0;
      for (int d = 0; d < depth; d++) {
        int child = (int) Math.floor(Math.pow(random.nextDouble(), 3) * 12);
        parent = parent * 12 + child;
        frames.add((d < depth - 6 ? "app_" : "lib_") + Integer.toHexString(Math.abs(parent) % 100_000) + "_" + d);
      }
      if (made.add(frames)) {
        all.add(frames);
      }
    }
    long end = nowMs * 1_000_000;
    for (int i = 0; i < INTERVALS; i++) {
      long to = end - (INTERVALS - 1 - i) * INTERVAL_NS;
      for (int k = 0; k < all.size(); k++) {
        List<String> f = all.get(k);
        List<String> user = new ArrayList<>(f.subList(0, f.size() - 4));
        java.util.Collections.reverse(user);
        List<String> kernel = new ArrayList<>(f.subList(f.size() - 4, f.size()));
        java.util.Collections.reverse(kernel);
        String comm = "cmd" + (k % 7);
        store.accept(ProfileSample.newBuilder().setCtx(ctx(comm, to)).setIntervalStartNs(to - INTERVAL_NS).setIntervalEndNs(to)
            .setFrequencyHz(49).setCount(1 + random.nextInt(20)).setUserFrames(user).setKernelFrames(kernel)
            .setFolded(comm + ";" + String.join(";", f)).build());
      }
    }
  }

  private static TaskContext ctx(String comm, long timeNs) {
    Namespaces ns = new Namespaces(4026531840L, 4026531838L, 4026531839L, 4026531836L, 4026531833L, 4026531837L, 4026531835L, 4026531834L);
    return TaskContext.newBuilder().setHostId("bench-host").setHostname("bench").setTimeNs(timeNs).setCpu(0)
        .setPid(100).setTid(100).setPpid(1).setUid(0).setGid(0).setComm(comm).setCgroupId(1).setContainerId(null).setNs(ns).setSeq(0).build();
  }

  /** The console's server on an ephemeral loopback port over {@code store}. */
  private static final class Served implements AutoCloseable {
    final LiveUpdates live = new LiveUpdates();
    final ConsoleServer server;
    final String base;
    final String token;
    final HttpClient http = HttpClient.newHttpClient();

    Served(Path dir, ConsoleStore store) throws Exception {
      ConsoleToken t = ConsoleToken.loadOrCreate(dir);
      this.token = t.value();
      this.server = new ConsoleServer(InetAddress.getLoopbackAddress(), 0, t, new ConsoleApi(store, System::currentTimeMillis, Map::of), live).start();
      this.base = "http://127.0.0.1:" + server.address().getPort();
    }

    HttpResponse<byte[]> get(String path) throws Exception {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new AssertionError(path + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
      }
      return r;
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /** One page's event stream, on its own connection and thread; records when the next change arrives. */
  private static final class Listener {
    private final Thread reader;
    private volatile CountDownLatch armed;
    volatile long receivedNs;

    Listener(String url, String token) throws Exception {
      HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      connection.setRequestProperty("Authorization", "Bearer " + token);
      connection.setReadTimeout(0);
      BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
      reader = new Thread(() -> {
        try {
          for (String line; (line = in.readLine()) != null; ) {
            CountDownLatch a = armed;
            if (line.startsWith("event: change") && a != null) {
              receivedNs = System.nanoTime();
              armed = null;
              a.countDown();
            }
          }
        } catch (java.io.IOException e) {
          // closed
        }
      }, "sse-listener");
      reader.setDaemon(true);
      reader.start();
    }

    void arm(CountDownLatch latch) {
      armed = latch;
    }
  }

  private static long gzipped(byte[] b) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    }
    return out.size();
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }

  private static long min(long[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }

  private static long max(long[] v) {
    return Arrays.stream(v).max().orElseThrow();
  }
}

package dev.bpfstream.standalone.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.bpf.Tracefs;
import dev.bpfstream.standalone.StackOptions;
import dev.bpfstream.standalone.StandaloneStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web console in headless Chromium against one running stack (broker, collector, jobs,
 * console; 2 s windows) shared by the tests of this class, with real activity the tests cause:
 * ring losses forced with a small ring and an open() storm, a busy C program in its own pid
 * namespace, an exec from a world-writable directory. Each test saves a screenshot under
 * target/console-screenshots/.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConsoleBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static Path data;
  private static Path work;
  private static StandaloneStack stack;
  private static Browser browser;
  private static String base;
  private static String token;
  /** The busy C program, in a pid namespace of its own: CPU samples, run-queue waits, a workload row, a namespace. */
  private static Workloads.Started busy;
  private static Workloads.Started busyJava;

  @BeforeAll
  static void startStack() throws Exception {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    Prerequisites.require(Browser.missing());
    Prerequisites.require(Workloads.compilerMissing());
    Tracefs.ensureMounted();
    data = Files.createTempDirectory("bpfstream-console-data");
    work = Files.createTempDirectory("bpfstream-console-work");
    // A 64 KiB ring: the open() storm below overruns it (losses counted kernel-side), everyday events fit.
    StackOptions o = new StackOptions(data, 0, Duration.ofSeconds(2),
        List.of("exec", "exit", "nslifecycle", "open", "runqlat", "profile"), true, 0, null, -1, 64 << 10);
    stack = StandaloneStack.start(o, new PrintStream(OutputStream.nullOutputStream()));
    URI url = URI.create(stack.consoleUrl());
    base = "http://" + url.getHost() + ":" + url.getPort();
    token = url.getQuery().substring("token=".length());
    browser = new Browser();
    browser.open(stack.consoleUrl()); // the token becomes a cookie for the rest of the session
    // Three threads on this 2-CPU machine for 40 s: they wait in the run queue, and they are sampled.
    busy = Workloads.inNewPidNamespace(List.of(Workloads.busyProgram(work).toString(), "40", "3"));
    List<String> java = new java.util.ArrayList<>(Workloads.javaBusyCommand(work));
    java.add("60");
    busyJava = Workloads.inNewPidNamespace(java);
  }

  @AfterAll
  static void stopStack() throws Exception {
    for (Workloads.Started w : new Workloads.Started[] {busy, busyJava}) {
      if (w != null) {
        w.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    try (AutoCloseable b = browser; AutoCloseable s = stack) {
      // closed in reverse order
    }
    for (Path dir : new Path[] {data, work}) {
      if (dir != null) {
        try (Stream<Path> s = Files.walk(dir)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  @Test
  void overviewShowsTheLossesOfARingTheTestOverruns() throws Exception {
    Path storm = Workloads.openStorm(work);
    Process p = new ProcessBuilder(storm.toString(), "1").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("opens");

    browser.open(base + "/overview?from=-15m");
    // The page redraws at every health report: read it in one script each time, not through element handles.
    String host = browser.await(WAIT, "a host on the Overview with a lost count above zero", d -> (String) browser.script(
        "for (const h of document.querySelectorAll('.host')) {"
            + "  const l = h.querySelector('.host-lost');"
            + "  if (l && +l.dataset.lost > 0 && +l.textContent > 0) return h.innerText; }"
            + "return null;"));
    assertThat(host).contains("lost by probe: open").contains("profile").doesNotContain("(not attached)");
    // The banner says so too: completeness is never hidden.
    assertThat((String) browser.script("return document.getElementById('completeness').innerText")).contains("events lost");
    browser.screenshot("overview");
  }

  @Test
  void profileShowsTheBusyFunctionOfABinaryTheTestBuiltAndSearchHighlightsIt() throws Exception {
    browser.open(base + "/profile?from=-15m&pidns=" + busy.pidNs());
    String fn = Workloads.C_BUSY_FUNCTION;
    browser.await(WAIT, "the frame " + fn + " in the flame graph of pid namespace " + busy.pidNs(), d -> (Boolean) browser.script(
        "return Array.from(document.querySelectorAll('#flame g.f')).some(g => g.dataset.name === arguments[0] && g.classList.contains('u'))", fn));
    // Its text is in the SVG (a wide frame is labelled), the command's frame is there, and the graph counts samples.
    assertThat((String) browser.script("return document.querySelector('#flame svg').textContent")).contains(fn).contains("busy");
    assertThat(Long.parseLong((String) browser.script("return document.getElementById('flame').dataset.samples"))).isPositive();

    browser.script("const s = document.getElementById('search'); s.value = arguments[0]; s.dispatchEvent(new Event('input'));", "kestrel");
    Boolean highlighted = (Boolean) browser.script(
        "const g = Array.from(document.querySelectorAll('#flame g.f')).filter(g => g.dataset.name === arguments[0]);"
            + "return g.length > 0 && g.every(x => x.classList.contains('match'))"
            + " && getComputedStyle(g[0].querySelector('rect')).fill === 'rgb(230, 0, 230)'", fn);
    assertThat(highlighted).as("search marks the frame and paints it").isTrue();
    assertThat((String) browser.script("return document.getElementById('matches').textContent")).contains("frames match");
    browser.screenshot("profile");

    // Click to zoom: the frame spans the whole width, and the folded export carries it.
    browser.script("Array.from(document.querySelectorAll('#flame g.f')).find(g => g.dataset.name === arguments[0]).dispatchEvent(new MouseEvent('click'))", fn);
    browser.await(WAIT, "zoomed to " + fn, d -> (Boolean) browser.script(
        "const g = Array.from(document.querySelectorAll('#flame g.f:not(.anc)')).find(g => g.dataset.name === arguments[0]);"
            + "return !!g && +g.querySelector('rect').getAttribute('width') > 1100", fn));
    assertThat(browser.driver.getCurrentUrl()).contains("focus=");
    HttpResponse<String> folded = get(HttpClient.newHttpClient(), "/api/profile.folded?from=-15m&pidns=" + busy.pidNs(), token);
    assertThat(folded.statusCode()).isEqualTo(200);
    assertThat(folded.body()).contains(";" + fn);
  }

  @Test
  void profileOfAJavaProgramNamesItsBusyMethodNotAJitAddress() throws Exception {
    browser.open(base + "/profile?from=-15m&pidns=" + busyJava.pidNs());
    String method = Workloads.JAVA_BUSY_METHOD;
    String frame = browser.await(WAIT, "a frame naming " + method + " in the flame graph of pid namespace " + busyJava.pidNs(),
        d -> (String) browser.script("const g = Array.from(document.querySelectorAll('#flame g.f')).find(g => g.dataset.name.includes(arguments[0]));"
            + "return g ? g.dataset.name : null", method));
    assertThat(frame).contains(method).doesNotStartWith("0x");
    browser.script("const s = document.getElementById('search'); s.value = arguments[0]; s.dispatchEvent(new Event('input'));", method);
    assertThat((Long) browser.script("return document.querySelectorAll('#flame g.f.match').length")).isPositive();
    browser.screenshot("profile-java");
  }

  @Test
  void latencyHeatmapHasRunQueueCellsForTheBusyProgramsNamespace() throws Exception {
    browser.open(base + "/latency?kind=RUNQ&from=-15m&pidns=" + busy.pidNs());
    long cells = browser.await(WAIT, "run-queue heatmap cells for pid namespace " + busy.pidNs(), d -> {
      Object n = browser.script("const h = document.getElementById('heat'); return h ? +(h.dataset.cells || 0) : 0");
      return ((Number) n).longValue() > 0 ? ((Number) n).longValue() : null;
    });
    assertThat(cells).isPositive();
    // The cells are painted: the canvas has coloured pixels where the chart has no background.
    Long painted = (Long) browser.script("const c = document.querySelector('#heat canvas'); const x = c.getContext('2d');"
        + "const d = x.getImageData(0, 0, c.width, c.height).data; let n = 0;"
        + "for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && !(d[i] === d[i + 1] && d[i + 1] === d[i + 2])) n++; return n;");
    assertThat(painted).isPositive();
    assertThat((String) browser.script("return document.getElementById('heat-title').textContent")).contains("runq");
    browser.screenshot("latency");
  }

  @Test
  void alertsPageShowsTheAlertOfAnExecFromAWorldWritableDirectory() throws Exception {
    Path dir = Files.createTempDirectory(work, "world-writable");
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Path binary = dir.resolve("console-alert-" + Long.toHexString(System.nanoTime()));
    Files.copy(Path.of("/bin/true"), binary);
    Process p = new ProcessBuilder(binary.toString()).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    browser.open(base + "/alerts?from=-10m");
    String row = browser.await(WAIT, "the alert for " + binary, d -> (String) browser.script(
        "const r = Array.from(document.querySelectorAll('tr.alert')).find(r => r.dataset.rule === 'exec-from-world-writable-dir'"
            + " && r.innerText.includes(arguments[0])); if (r) r.querySelector('details') && (r.querySelector('details').open = true);"
            + " return r ? r.innerText : null;", binary.getFileName().toString()));
    assertThat(row).contains("CRITICAL").contains("open");
    browser.screenshot("alerts");
  }

  @Test
  void workloadsAndNamespacesShowTheBusyProgramsPidNamespace() throws Exception {
    browser.open(base + "/workloads?from=-15m&scope=namespace");
    String ns = "pid:" + busy.pidNs();
    String row = browser.await(WAIT, "a workload row for " + ns, d -> (String) browser.script(
        "const r = Array.from(document.querySelectorAll('tr.row')).find(r => r.innerText.includes(arguments[0])); return r ? r.innerText : null;", ns));
    assertThat(row).contains("namespace");
    // Sortable: a click on a column sorts by it.
    browser.script("document.querySelector('th[data-key=\"cpu_samples\"]').click()");
    assertThat((String) browser.script("return document.querySelector('th[data-key=\"cpu_samples\"]').className")).contains("sorted-desc");
    browser.screenshot("workloads");

    browser.open(base + "/namespaces");
    browser.await(WAIT, "pid namespace " + busy.pidNs() + " in the tree", d -> (Boolean) browser.script(
        "return Array.from(document.querySelectorAll('li.ns[data-kind=\"pid\"]')).some(l => l.innerText.includes(arguments[0]))",
        String.valueOf(busy.pidNs())));
    assertThat((Long) browser.script("return document.querySelectorAll('li.userns').length")).isPositive();
    browser.screenshot("namespaces");
  }

  @Test
  void badRequestsGetAClearStatusAndNeverAStackTrace() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    assertThat(get(http, "/api/overview", null).statusCode()).isEqualTo(401);
    assertThat(get(http, "/overview", "wrong").statusCode()).isEqualTo(401);
    HttpResponse<String> unknownHost = get(http, "/api/overview?host=no-such-host", token);
    assertThat(unknownHost.statusCode()).isEqualTo(404);
    assertThat(unknownHost.body()).contains("unknown host 'no-such-host'");
    HttpResponse<String> malformed = get(http, "/api/latency?from=yesterday", token);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("is not a time");
    HttpResponse<String> huge = get(http, "/api/profile.svg?from=0&to=now", token);
    assertThat(huge.statusCode()).isEqualTo(400);
    assertThat(huge.body()).contains("too long");
    HttpResponse<String> typo = get(http, "/api/profile?hots=x", token);
    assertThat(typo.statusCode()).isEqualTo(400);
    assertThat(typo.body()).contains("unknown parameter 'hots'");
    HttpResponse<String> bigQuery = get(http, "/api/profile?host=" + "x".repeat(5000), token);
    assertThat(bigQuery.statusCode()).isEqualTo(414);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/api/overview"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    for (HttpResponse<String> r : List.of(unknownHost, malformed, huge, typo, bigQuery, post)) {
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("\n\"");
    }
    // The token file is the owner's only.
    assertThat(Files.getPosixFilePermissions(data.resolve("console.token"))).extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
  }

  private static HttpResponse<String> get(HttpClient http, String path, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

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
  }

  @AfterAll
  static void stopStack() throws Exception {
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

    browser.open(base + "/overview?from=-5m");
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

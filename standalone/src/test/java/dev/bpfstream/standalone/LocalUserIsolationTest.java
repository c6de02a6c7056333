package dev.bpfstream.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.bpfstream.broker.LoopbackPort;
import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.schema.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `bpfstream up` started by root with a permissive umask (022), then the same attempts run as the
 * unprivileged user nobody and as root: nobody is refused at every listening socket of the stack
 * (each one accounted for: Kafka's three listeners, Flink's blob server and REST endpoint, the web
 * console, the metrics endpoint) and cannot read a file of the data directory; root, with the
 * credentials the stack generated there, gets everything. Everything in the data directory is
 * 0600/0700.
 */
class LocalUserIsolationTest {
  private static final int NOBODY = 65534;
  private Path dataDir;
  private Path nobodyDir;
  private Process stack;

  @BeforeEach
  void prerequisites() throws Exception {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    Prerequisites.requireCommand("setpriv", "util-linux");
    dataDir = Files.createTempDirectory("bpfstream-isolation");
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (stack != null && stack.isAlive()) {
      stack.destroy();
      if (!stack.waitFor(60, TimeUnit.SECONDS)) {
        stack.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    delete(dataDir);
    delete(nobodyDir);
  }

  @Test
  void nobodyIsRefusedAtEverySocketAndEveryFileWhileRootWithTheGeneratedCredentialsGetsIn() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String up = String.join(" ", java, "-XX:+UseSerialGC", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        StandaloneMain.class.getName(), "--data-dir", dataDir.toString(), "--kafka-port", "0", "--window", "2s", "--json",
        "--metrics-port", String.valueOf(LoopbackPort.free()), "--console-port", String.valueOf(LoopbackPort.free()));
    stack = new ProcessBuilder("sh", "-c", "umask 022; exec " + up).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader err = new BufferedReader(new InputStreamReader(stack.getErrorStream(), StandardCharsets.UTF_8));
    String line;
    List<String> said = new ArrayList<>();
    while ((line = err.readLine()) != null && !line.contains("running; Kafka on")) {
      said.add(line);
    }
    assertThat(line).as("bpfstream up started; it said %s", said).isNotNull();
    Thread drain = new Thread(() -> err.lines().forEach(l -> { }));
    drain.setDaemon(true);
    drain.start();

    // Every socket the stack listens on is one it names, and each is tried below.
    Map<String, String> listeners = listeners(dataDir.resolve("bpfstream.log"));
    assertThat(listeners).containsOnlyKeys("kafka", "kafka-inter-broker", "kafka-controller", "flink-blob", "flink-rest", "console",
        "metrics");
    assertThat(ListeningSockets.of(stack.pid())).map(a -> a.substring(a.lastIndexOf(':') + 1))
        .containsExactlyInAnyOrderElementsOf(listeners.values());

    nobodyDir = attemptsClasspath();
    Path files = nobodyDir.resolve("files.txt");
    try (Stream<Path> all = Files.walk(dataDir)) {
      Files.write(files, all.filter(Files::isRegularFile).map(Path::toString).toList());
    }
    List<String> command = new ArrayList<>(List.of(java, "-XX:-UsePerfData", "-XX:+UseSerialGC", "-cp",
        nobodyDir.resolve("classes") + File.pathSeparator + nobodyDir.resolve("lib") + File.separator + "*",
        AccessAttempts.class.getName(), "data-dir=" + dataDir,
        "kafka=" + listeners.get("kafka"),
        "topics=" + Arrays.stream(Topic.values()).map(Topic::topicName).collect(Collectors.joining(",")),
        "produce-topic=" + Topic.DEAD_LETTER.topicName(),
        "kafka-tls=" + listeners.get("kafka-inter-broker") + "," + listeners.get("kafka-controller"),
        "controller=" + listeners.get("kafka-controller"), "blob=" + listeners.get("flink-blob"),
        "rest=" + listeners.get("flink-rest"), "metrics=" + listeners.get("metrics"), "console=" + listeners.get("console"),
        "files=" + files));

    List<String> asNobody = new ArrayList<>(List.of("setpriv", "--reuid", String.valueOf(NOBODY), "--regid", String.valueOf(NOBODY),
        "--clear-groups"));
    asNobody.addAll(command);
    List<String> nobody = run(asNobody);
    List<String> root = run(command);
    System.out.println("as nobody:\n  " + String.join("\n  ", nobody) + "\nas root:\n  " + String.join("\n  ", root));

    int attempts = Topic.values().length + 13;
    assertThat(nobody).as("nobody's attempts (one more: a guessed password)").hasSize(attempts + 1).allMatch(l -> l.startsWith("REFUSED "));
    assertThat(root).as("root's attempts").hasSize(attempts).allMatch(l -> l.startsWith("ALLOWED "));
    assertThat(nobody).anyMatch(l -> l.contains("with a guessed password: SaslAuthenticationException"))
        .anyMatch(l -> l.startsWith("REFUSED read " + dataDir.resolve("client.properties") + ": AccessDeniedException"))
        .anyMatch(l -> l.startsWith("REFUSED GET the collector's /metrics: IOException: HTTP 401"))
        .anyMatch(l -> l.startsWith("REFUSED GET the web console's /api/overview: IOException: HTTP 401"));

    stack.destroy();
    assertThat(stack.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
    // Kafka's, Flink's and the stack's own files alike, though the stack was started with umask 022.
    List<Path> open = PrivateDataDir.readableByOthers(dataDir);
    assertThat(open).as("files and directories others can read or enter").isEmpty();
    try (Stream<Path> all = Files.walk(dataDir)) {
      assertThat(all.filter(Files::isRegularFile).count()).isGreaterThan(20);
    }
  }

  /** "name" to port, from the log line "listening: kafka 127.0.0.1:9092 ...; metrics 127.0.0.1:9464 ...". */
  private static Map<String, String> listeners(Path log) throws Exception {
    String line = Files.readAllLines(log).stream().filter(l -> l.contains("StandaloneStack - listening: ")).findFirst().orElseThrow();
    Map<String, String> m = new LinkedHashMap<>();
    for (String part : line.substring(line.indexOf("listening: ") + 11).split("; ")) {
      String[] f = part.split(" ");
      m.put(f[0], f[1].substring(f[1].lastIndexOf(':') + 1));
    }
    return m;
  }

  /**
   * The attempts program and the jars it needs, copied where nobody can read them: the project's
   * own directories may not be (a clone under /root, say).
   */
  private static Path attemptsClasspath() throws Exception {
    Path dir = Files.createTempDirectory("bpfstream-attempts");
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Set<String> wanted = new TreeSet<>(List.of("kafka-clients-", "slf4j-api-", "lz4-java-", "snappy-java-", "zstd-jni-"));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.endsWith(".jar") && wanted.stream().anyMatch(name::startsWith)) {
        Files.copy(Path.of(entry), lib.resolve(name));
      }
    }
    assertThat(Files.list(lib).map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("kafka-clients-"));
    Path classes = classesOf(AccessAttempts.class);
    Path pkg = Files.createDirectories(dir.resolve("classes").resolve(AccessAttempts.class.getPackageName().replace('.', '/')));
    try (Stream<Path> s = Files.list(classes.resolve(AccessAttempts.class.getPackageName().replace('.', '/')))) {
      for (Path c : s.filter(p -> p.getFileName().toString().startsWith(AccessAttempts.class.getSimpleName())).toList()) {
        Files.copy(c, pkg.resolve(c.getFileName()));
      }
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    return dir;
  }

  private static Path classesOf(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private List<String> run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).directory(nobodyDir.toFile()).redirectErrorStream(false).start();
    Thread errDrain = new Thread(() -> {
      try {
        p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    errDrain.setDaemon(true);
    errDrain.start();
    List<String> lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).lines()
        .filter(l -> l.startsWith("ALLOWED ") || l.startsWith("REFUSED ")).toList();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s", lines).isZero();
    return lines;
  }

  private static void delete(Path dir) throws Exception {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

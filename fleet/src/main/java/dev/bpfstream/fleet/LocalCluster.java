package dev.bpfstream.fleet;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A Kafka cluster and a Flink session cluster on this machine, every part a process of its own (see
 * {@link KafkaNodes}, {@link FlinkNodes}). {@code cluster up} starts one and leaves it running;
 * tests start one, kill parts of it, and close it, which stops every process it started.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClusterLayout layout;
  private final Path flinkConf;
  private final NodeProcess[] brokers;
  private NodeProcess jobManager;
  private final List<NodeProcess> taskManagers = Collections.synchronizedList(new ArrayList<>());
  private int nextTaskManager;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private LocalCluster(ClusterLayout layout, Path flinkConf) {
    this.layout = layout;
    this.flinkConf = flinkConf;
    this.brokers = new NodeProcess[layout.brokers() + 1];
  }

  /**
   * Writes the configuration, starts every part and waits until Kafka has all its brokers and Flink
   * all its TaskManagers. A part that does not come up stops the others and fails with its last output.
   */
  public static LocalCluster start(ClusterLayout layout, PrintStream progress) {
    return start(layout, progress, Map.of());
  }

  /** The same with Flink settings that win over the cluster's own ({@code config.yaml} keys). */
  public static LocalCluster start(ClusterLayout layout, PrintStream progress, Map<String, String> flinkOverrides) {
    for (String name : names(layout)) {
      Optional<NodeProcess> running = NodeProcess.find(layout, name);
      if (running.isPresent()) {
        throw new IllegalStateException("a cluster already runs from " + layout.dataDir() + " (" + running.get()
            + "): `cluster status` shows it, `cluster down` stops it");
      }
    }
    for (int port : layout.fixedPorts()) {
      if (!ClusterLayout.free(port)) {
        throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use: stop what holds it or choose other ports "
            + "(--kafka-port, --controller-port, --rest-port, --rpc-port)");
      }
    }
    layout.save();
    NodeLogging.write(layout);
    String clusterId = KafkaNodes.clusterId(layout);
    List<Path> brokerFiles = new ArrayList<>();
    for (int i = 1; i <= layout.brokers(); i++) {
      brokerFiles.add(KafkaNodes.prepare(layout, i, clusterId));
    }
    LocalCluster c = new LocalCluster(layout, FlinkNodes.writeConfiguration(layout, flinkOverrides));
    try {
      progress.println("cluster: starting " + layout.brokers() + " Kafka brokers, a Flink JobManager and " + layout.taskManagers()
          + " TaskManagers (logs in " + layout.logs() + ")");
      for (int i = 1; i <= layout.brokers(); i++) {
        c.brokers[i] = KafkaNodes.start(layout, i, brokerFiles.get(i - 1));
      }
      c.jobManager = FlinkNodes.startJobManager(layout, c.flinkConf);
      for (int i = 0; i < layout.taskManagers(); i++) {
        c.startTaskManager();
      }
      c.awaitKafka(layout.brokers(), READY_TIMEOUT);
      c.awaitTaskManagers(layout.taskManagers(), READY_TIMEOUT);
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The parts of a cluster started earlier from {@code layout} that still run (status, down). */
  static List<NodeProcess> running(ClusterLayout layout) {
    List<NodeProcess> out = new ArrayList<>();
    for (String name : names(layout)) {
      NodeProcess.find(layout, name).ifPresent(out::add);
    }
    return out;
  }

  /** Every name a part of this cluster may have: brokers, the JobManager, TaskManagers including replacements. */
  private static List<String> names(ClusterLayout layout) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= layout.brokers(); i++) {
      names.add(KafkaNodes.name(i));
    }
    names.add(FlinkNodes.JOB_MANAGER);
    try (var files = java.nio.file.Files.list(layout.run())) {
      files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("taskmanager-") && f.endsWith(".pid"))
          .map(f -> f.substring(0, f.length() - 4)).sorted().forEach(names::add);
    } catch (IOException e) {
      // no run directory yet: no TaskManager was ever started
    }
    return names;
  }

  public ClusterLayout layout() {
    return layout;
  }

  public String bootstrapServers() {
    return layout.bootstrapServers();
  }

  public String restAddress() {
    return layout.restAddress();
  }

  /** Broker {@code i} (1-based), null while it is down. */
  public NodeProcess broker(int i) {
    return brokers[i];
  }

  public NodeProcess jobManager() {
    return jobManager;
  }

  public List<NodeProcess> taskManagers() {
    synchronized (taskManagers) {
      return List.copyOf(taskManagers);
    }
  }

  /** Starts one more TaskManager (a replacement, as a supervisor would start one); it registers by itself. */
  public synchronized NodeProcess startTaskManager() {
    NodeProcess tm = FlinkNodes.startTaskManager(layout, flinkConf, ++nextTaskManager);
    taskManagers.add(tm);
    return tm;
  }

  /** kill -9 of broker {@code i}. */
  public void killBroker(int i) {
    brokers[i].kill();
    brokers[i] = null;
  }

  /** Starts broker {@code i} again on its data (as a supervisor would). */
  public NodeProcess restartBroker(int i) {
    if (brokers[i] != null && brokers[i].alive()) {
      throw new IllegalStateException(KafkaNodes.name(i) + " still runs");
    }
    brokers[i] = KafkaNodes.start(layout, i, layout.conf().resolve(KafkaNodes.name(i) + ".properties"));
    return brokers[i];
  }

  /** kill -9 of a TaskManager. */
  public void killTaskManager(NodeProcess tm) {
    tm.kill();
    taskManagers.remove(tm);
  }

  /** Waits until {@code n} brokers are registered with the controller quorum. */
  public void awaitKafka(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> p = new java.util.HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    ClusterCredentials.of(layout).ifPresent(c -> p.putAll(c.clientProperties("admin")));
    try (Admin admin = Admin.create(p)) {
      while (true) {
        checkAlive();
        try {
          if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= n) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // not up yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Kafka on " + bootstrapServers() + " did not have " + n + " brokers after "
              + timeout.toSeconds() + " s; see " + layout.logs());
        }
        Thread.sleep(250);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka");
    }
  }

  /** Waits until {@code n} TaskManagers are registered with the JobManager. */
  public void awaitTaskManagers(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      checkAlive();
      try {
        JsonNode overview = rest("/overview");
        if (overview.path("taskmanagers").asInt() >= n) {
          return;
        }
      } catch (IOException e) {
        // REST not up yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Flink on " + restAddress() + " did not have " + n + " TaskManagers after "
            + timeout.toSeconds() + " s; see " + layout.logs());
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Flink");
      }
    }
  }

  /** GET of a JobManager REST path, as JSON. */
  public JsonNode rest(String path) throws IOException {
    return rest(http, layout, path);
  }

  static JsonNode rest(HttpClient http, ClusterLayout layout, String path) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + layout.restAddress() + path)).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void checkAlive() {
    List<NodeProcess> all = new ArrayList<>();
    for (NodeProcess b : brokers) {
      if (b != null) {
        all.add(b);
      }
    }
    all.add(jobManager);
    all.addAll(taskManagers());
    for (NodeProcess n : all) {
      if (n != null && !n.alive()) {
        throw new IllegalStateException(n.name() + " exited during start-up; its last output (" + n.logFile() + "):\n" + n.tail(15));
      }
    }
  }

  /** Stops every part this object started: TaskManagers, JobManager, then the brokers (SIGTERM, then SIGKILL). */
  @Override
  public void close() {
    for (NodeProcess tm : taskManagers()) {
      tm.stop(Duration.ofSeconds(10));
    }
    if (jobManager != null) {
      jobManager.stop(Duration.ofSeconds(10));
    }
    List<Thread> stops = new ArrayList<>();
    for (NodeProcess b : brokers) {
      if (b != null) {
        Thread t = new Thread(() -> b.stop(Duration.ofSeconds(20)), "stop-" + b.name());
        t.start();
        stops.add(t);
      }
    }
    for (Thread t : stops) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

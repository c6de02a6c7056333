package dev.bpfstream.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where every part of a local cluster lives and listens: one data directory (configuration, logs,
 * pid files, Kafka logs, Flink checkpoints) and loopback ports. Kafka broker i (1-based) takes client
 * port {@code kafkaPort + i - 1} and controller port {@code controllerPort + i - 1}; the JobManager
 * takes {@code restPort}, {@code rpcPort} and {@code blobPort}; TaskManagers take free ports (Flink
 * reports them). Saved as {@code cluster.properties} so {@code status} and {@code down} find it again.
 *
 * @param lib the cluster's classpath: a directory of jars
 */
public record ClusterLayout(Path dataDir, Path lib, int brokers, int kafkaPort, int controllerPort, int restPort,
                            int rpcPort, int blobPort, int taskManagers, int slots, String jobManagerMemory,
                            String taskManagerMemory, String brokerHeap) {

  public static final String LOOPBACK = "127.0.0.1";
  static final String FILE = "cluster.properties";

  public static Path defaultDataDir() {
    String state = System.getenv("XDG_STATE_HOME");
    Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("bpfstream-cluster");
  }

  /** The defaults of {@code cluster up}: Kafka on 19092-19094 (controllers 19192-19194), Flink REST and web UI on 8081. */
  public static ClusterLayout defaults(Path dataDir, Path lib) {
    return new ClusterLayout(dataDir, lib, 3, 19092, 19192, 8081, 16123, 16124, 2, 3, "1024m", "1280m", "384m");
  }

  /** The same with every port 0 replaced by a free loopback port (tests). */
  public ClusterLayout withFreePorts() {
    Set<Integer> taken = new HashSet<>();
    int kafka = kafkaPort != 0 ? kafkaPort : freeRun(brokers, taken);
    int controller = controllerPort != 0 ? controllerPort : freeRun(brokers, taken);
    int rest = restPort != 0 ? restPort : freeRun(1, taken);
    int rpc = rpcPort != 0 ? rpcPort : freeRun(1, taken);
    int blob = blobPort != 0 ? blobPort : freeRun(1, taken);
    return new ClusterLayout(dataDir, lib, brokers, kafka, controller, rest, rpc, blob, taskManagers, slots,
        jobManagerMemory, taskManagerMemory, brokerHeap);
  }

  public ClusterLayout withTaskManagers(int n, int slotsEach) {
    return new ClusterLayout(dataDir, lib, brokers, kafkaPort, controllerPort, restPort, rpcPort, blobPort, n, slotsEach,
        jobManagerMemory, taskManagerMemory, brokerHeap);
  }

  public Path conf() {
    return dataDir.resolve("conf");
  }

  public Path logs() {
    return dataDir.resolve("logs");
  }

  public Path run() {
    return dataDir.resolve("run");
  }

  public Path kafkaData(int broker) {
    return dataDir.resolve("kafka-" + broker);
  }

  public Path flinkData() {
    return dataDir.resolve("flink");
  }

  /** The directory every job checkpoints to unless told otherwise (state.checkpoints.dir). */
  public Path checkpoints() {
    return flinkData().resolve("checkpoints");
  }

  public Path savepoints() {
    return flinkData().resolve("savepoints");
  }

  public String classpath() {
    return lib.toAbsolutePath() + "/*";
  }

  public int brokerPort(int broker) {
    return kafkaPort + broker - 1;
  }

  public int brokerControllerPort(int broker) {
    return controllerPort + broker - 1;
  }

  public String bootstrapServers() {
    return IntStream.rangeClosed(1, brokers).mapToObj(i -> LOOPBACK + ":" + brokerPort(i)).collect(Collectors.joining(","));
  }

  public String restAddress() {
    return LOOPBACK + ":" + restPort;
  }

  /** Every fixed port, for a check that none is in use before starting. */
  public List<Integer> fixedPorts() {
    List<Integer> ports = new ArrayList<>();
    for (int i = 1; i <= brokers; i++) {
      ports.add(brokerPort(i));
      ports.add(brokerControllerPort(i));
    }
    ports.addAll(List.of(restPort, rpcPort, blobPort));
    return ports;
  }

  void save() {
    Properties p = new Properties();
    p.setProperty("lib", lib.toAbsolutePath().toString());
    p.setProperty("brokers", String.valueOf(brokers));
    p.setProperty("kafka.port", String.valueOf(kafkaPort));
    p.setProperty("controller.port", String.valueOf(controllerPort));
    p.setProperty("rest.port", String.valueOf(restPort));
    p.setProperty("rpc.port", String.valueOf(rpcPort));
    p.setProperty("blob.port", String.valueOf(blobPort));
    p.setProperty("taskmanagers", String.valueOf(taskManagers));
    p.setProperty("slots", String.valueOf(slots));
    p.setProperty("jobmanager.memory", jobManagerMemory);
    p.setProperty("taskmanager.memory", taskManagerMemory);
    p.setProperty("broker.heap", brokerHeap);
    try {
      Files.createDirectories(dataDir);
      try (OutputStream out = Files.newOutputStream(dataDir.resolve(FILE))) {
        p.store(out, "bpfstream cluster: where each part listens (written by cluster up)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dataDir.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  /** The layout {@code cluster up} saved in {@code dataDir}, or null if none was. */
  static ClusterLayout load(Path dataDir) {
    Path f = dataDir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(f)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
    return new ClusterLayout(dataDir, Path.of(p.getProperty("lib")), i(p, "brokers"), i(p, "kafka.port"), i(p, "controller.port"),
        i(p, "rest.port"), i(p, "rpc.port"), i(p, "blob.port"), i(p, "taskmanagers"), i(p, "slots"),
        p.getProperty("jobmanager.memory"), p.getProperty("taskmanager.memory"), p.getProperty("broker.heap"));
  }

  private static int i(Properties p, String key) {
    return Integer.parseInt(p.getProperty(key));
  }

  /** {@code n} consecutive free loopback ports not in {@code taken}. */
  private static int freeRun(int n, Set<Integer> taken) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int first = freePort();
      boolean ok = true;
      for (int i = 0; i < n && ok; i++) {
        ok = !taken.contains(first + i) && first + i < 65536 && (i == 0 || free(first + i));
      }
      if (ok) {
        for (int i = 0; i < n; i++) {
          taken.add(first + i);
        }
        return first;
      }
    }
    throw new IllegalStateException("no run of " + n + " free loopback ports");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

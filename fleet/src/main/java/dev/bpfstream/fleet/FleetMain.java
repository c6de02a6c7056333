package dev.bpfstream.fleet;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bpfstream cluster up|down|status}: a Kafka cluster and a Flink session cluster on this machine. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "A Kafka cluster (3 KRaft brokers) and a Flink session cluster (a JobManager, TaskManagers) on this machine, "
        + "each part its own process, on loopback only.",
    subcommands = {FleetMain.Up.class, FleetMain.Down.class, FleetMain.Status.class})
public final class FleetMain implements Runnable {
  @Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new FleetMain())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println(cmd.getColorScheme().errorText("cluster " + cmd.getCommandName() + ": " + e.getMessage()));
          cmd.getErr().flush();
          return 2;
        });
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Where the data lives. */
  static final class DataDir {
    @Option(names = "--data-dir", description = "Configuration, logs, pid files, Kafka logs and Flink checkpoints "
        + "(default: $XDG_STATE_HOME/bpfstream-cluster, else ~/.local/state/bpfstream-cluster).")
    Path dataDir;

    Path resolve() {
      return (dataDir != null ? dataDir : ClusterLayout.defaultDataDir()).toAbsolutePath().normalize();
    }
  }

  @Command(name = "up", mixinStandardHelpOptions = true,
      description = "Start the cluster in the background and print where each part listens; it runs until `cluster down`.")
  static final class Up implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataDir data;

    @Option(names = "--kafka-port", defaultValue = "19092", description = "Client port of the first broker; the others take the next ones (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--controller-port", defaultValue = "19192", description = "KRaft controller port of the first broker; the others take the next ones (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--rest-port", defaultValue = "8081", description = "Flink REST API and web UI (default: ${DEFAULT-VALUE}).")
    int restPort;

    @Option(names = "--rpc-port", defaultValue = "16123", description = "JobManager RPC port; the blob server takes the next one (default: ${DEFAULT-VALUE}).")
    int rpcPort;

    @Option(names = "--task-managers", defaultValue = "2", description = "TaskManager processes (default: ${DEFAULT-VALUE}).")
    int taskManagers;

    @Option(names = "--slots", defaultValue = "3", description = "Task slots per TaskManager (default: ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--secure", description = "Kafka with SASL/SCRAM users per role (admin, collector, jobs, viewer; their client "
        + "properties in <data-dir>/credentials, 0600) and the StandardAuthorizer: `topics create --kafka-config "
        + "<data-dir>/credentials/admin.properties` grants each role its ACLs. Kept for the cluster's life once given.")
    boolean secure;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Path lib = libDirectory();
      ClusterLayout layout = new ClusterLayout(data.resolve(), lib, 3, kafkaPort, controllerPort, restPort, rpcPort, rpcPort + 1,
          taskManagers, slots, "1024m", "1280m", "384m");
      if (taskManagers < 1 || slots < 1) {
        throw new IllegalArgumentException("--task-managers and --slots must be at least 1");
      }
      if (secure) {
        ClusterCredentials.create(layout);
      }
      long t0 = System.nanoTime();
      LocalCluster.start(layout, new java.io.PrintStream(System.out, true));
      out.printf("cluster: up in %.0f s%n", (System.nanoTime() - t0) / 1e9);
      Report.print(layout, out);
      return 0;
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true,
      description = "Stop every part of the cluster (SIGTERM, then SIGKILL after a grace period); the data stays.")
  static final class Down implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataDir data;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ClusterLayout layout = ClusterLayout.load(data.resolve());
      if (layout == null) {
        out.println("cluster: no cluster in " + data.resolve());
        return 0;
      }
      List<NodeProcess> parts = LocalCluster.running(layout);
      if (parts.isEmpty()) {
        out.println("cluster: nothing runs from " + layout.dataDir());
        return 0;
      }
      // Flink first (its jobs stop writing), then the brokers together: one at a time, the last ones would lose their quorum.
      List<Thread> brokers = new ArrayList<>();
      for (NodeProcess p : parts) {
        if (p.name().startsWith("kafka-")) {
          Thread t = new Thread(() -> p.stop(Duration.ofSeconds(30)));
          brokers.add(t);
        } else {
          p.stop(Duration.ofSeconds(15));
          out.println("cluster: stopped " + p);
        }
      }
      brokers.forEach(Thread::start);
      for (Thread t : brokers) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      parts.stream().filter(p -> p.name().startsWith("kafka-")).forEach(p -> out.println("cluster: stopped " + p));
      out.println("cluster: down; data kept in " + layout.dataDir() + " (the next `cluster up` resumes on it; delete it to start afresh)");
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Which parts run, where they listen, the jobs on the cluster.")
  static final class Status implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataDir data;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ClusterLayout layout = ClusterLayout.load(data.resolve());
      if (layout == null) {
        out.println("cluster: no cluster in " + data.resolve() + " (start one with `cluster up`)");
        return 3;
      }
      return Report.print(layout, out) ? 0 : 3;
    }
  }

  /** The launcher's lib/ directory (beside the jar), which is the cluster's classpath. */
  static Path libDirectory() throws URISyntaxException, IOException {
    Path self = Path.of(FleetMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path lib = self.getParent().resolve("lib");
    if (!Files.isDirectory(lib)) {
      throw new IOException("no " + lib + ": build the fleet module first (mvn -B -DskipTests package)");
    }
    return lib;
  }

  /** What runs and where it listens. */
  static final class Report {
    private Report() {
    }

    /** @return whether every part runs */
    static boolean print(ClusterLayout l, PrintWriter out) {
      List<NodeProcess> running = LocalCluster.running(l);
      boolean all = true;
      out.println("data: " + l.dataDir() + "   logs: " + l.logs());
      for (int i = 1; i <= l.brokers(); i++) {
        String name = KafkaNodes.name(i);
        NodeProcess p = running.stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
        all &= p != null;
        out.printf("  %-14s %-12s client 127.0.0.1:%d   controller 127.0.0.1:%d%n", name, pid(p), l.brokerPort(i), l.brokerControllerPort(i));
      }
      NodeProcess jm = running.stream().filter(n -> n.name().equals(FlinkNodes.JOB_MANAGER)).findFirst().orElse(null);
      all &= jm != null;
      out.printf("  %-14s %-12s REST and web UI http://127.0.0.1:%d   rpc 127.0.0.1:%d   blob 127.0.0.1:%d%n",
          FlinkNodes.JOB_MANAGER, pid(jm), l.restPort(), l.rpcPort(), l.blobPort());
      JsonNode tms = null;
      JsonNode jobs = null;
      if (jm != null) {
        try {
          HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
          tms = LocalCluster.rest(http, l, "/taskmanagers").path("taskmanagers");
          jobs = LocalCluster.rest(http, l, "/jobs/overview").path("jobs");
        } catch (IOException e) {
          out.println("  (the JobManager's REST API does not answer: " + e.getMessage() + ")");
        }
      }
      List<NodeProcess> tmProcesses = running.stream().filter(n -> n.name().startsWith("taskmanager-")).toList();
      if (tmProcesses.isEmpty()) {
        all = false;
        out.printf("  %-14s %-12s%n", "taskmanager", "not running");
      }
      for (NodeProcess tm : tmProcesses) {
        String where = "";
        for (JsonNode t : tms == null ? List.<JsonNode>of() : toList(tms)) {
          if (t.path("id").asText().equals(tm.name())) {
            where = String.format("rpc %s   data 127.0.0.1:%d   %d slots (%d free)", rpcAddress(t.path("path").asText()),
                t.path("dataPort").asInt(), t.path("slotsNumber").asInt(), t.path("freeSlots").asInt());
          }
        }
        out.printf("  %-14s %-12s %s%n", tm.name(), pid(tm), where.isEmpty() && tms != null ? "(not registered with the JobManager)" : where);
      }
      out.println("bootstrap servers: " + l.bootstrapServers());
      ClusterCredentials.of(l).ifPresent(c -> out.println("kafka: SASL/SCRAM-SHA-512 and ACLs; client settings per role: "
          + ClusterCredentials.ROLES.stream().map(r -> c.roleFile(r).toString()).collect(java.util.stream.Collectors.joining(" "))));
      out.println("checkpoints: " + l.checkpoints().toUri());
      if (jobs != null) {
        if (jobs.isEmpty()) {
          out.println("jobs: none");
        }
        for (JsonNode j : jobs) {
          out.printf("job %s  %-9s %s%n", j.path("jid").asText(), j.path("state").asText(), j.path("name").asText());
        }
      }
      out.flush();
      return all;
    }

    private static List<JsonNode> toList(JsonNode array) {
      List<JsonNode> l = new ArrayList<>();
      array.forEach(l::add);
      return l;
    }

    private static String pid(NodeProcess p) {
      return p == null ? "not running" : "pid " + p.pid();
    }

    /** pekko.tcp://flink@127.0.0.1:PORT/user/rpc/taskmanager_0 to 127.0.0.1:PORT. */
    private static String rpcAddress(String path) {
      int at = path.indexOf('@');
      int slash = path.indexOf('/', at + 1);
      return at < 0 || slash < 0 ? path : path.substring(at + 1, slash);
    }
  }
}

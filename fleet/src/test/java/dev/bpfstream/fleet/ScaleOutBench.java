package dev.bpfstream.fleet;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bpfstream.jobs.JobsMain;
import dev.bpfstream.jobs.window.PreAggregateOperator;
import dev.bpfstream.schema.TopicSetup;
import org.apache.kafka.clients.admin.Admin;

/**
 * Each job's throughput on the cluster at parallelism 1 and 2 (BENCHMARKS.md, "Fleet"): a cluster
 * with two TaskManagers of one slot each (so parallelism 2 runs on both), a backlog from the fleet
 * generator, then the job submitted with {@code jobs submit ... --bounded} as a user would, once per
 * parallelism, until it is FINISHED. Records are what the job's pre-aggregation read (its
 * {@code observations} accumulator, from the REST API); wall time is the job's duration as the
 * JobManager reports it (scheduling, deployment and the final checkpoint included); CPU is what the
 * TaskManager processes used meanwhile (/proc, user + system; the JobManager and brokers apart).
 *
 * <pre>fleet/bench/run-bench.sh   # EVENTS=1000000 HOSTS=100 by default</pre>
 */
public final class ScaleOutBench {
  private static final Path ROOT = Path.of(System.getProperty("bpfstream.root", ".")).toAbsolutePath().normalize();
  private static final long TICKS = 100; // USER_HZ

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    int hosts = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path jar = ROOT.resolve("stream-jobs/target/bpfstream-stream-jobs.jar");
    Path data = Files.createTempDirectory("bpfstream-scaleout");
    ClusterLayout layout = new ClusterLayout(data, ROOT.resolve("fleet/target/lib"), 3, 0, 0, 0, 0, 0, 2, 1,
        "768m", "1536m", "512m").withFreePorts();
    try (LocalCluster cluster = LocalCluster.start(layout, System.out);
        Admin admin = Admin.create(Map.of("bootstrap.servers", layout.bootstrapServers()))) {
      for (String job : List.of("workload", "latency")) {
        String prefix = job + ".";
        TopicSetup.ensure(admin, new TopicSetup.Plan(prefix, 4, (short) 3, Map.of()));
        long t = System.nanoTime();
        cli("generate", "--bootstrap-servers", layout.bootstrapServers(), "--hosts", String.valueOf(hosts), "--events",
            String.valueOf(events), "--rate", "200000", "--mix", job, "--topic-prefix", prefix);
        System.out.printf("== %s: backlog of %d events from %d hosts in %.1f s%n", job, events, hosts, (System.nanoTime() - t) / 1e9);
        for (int parallelism : new int[] {1, 2}) {
          run(cluster, jar, job, prefix, parallelism);
        }
      }
    } finally {
      FleetFaultTest.deleteTree(data);
    }
  }

  private static void run(LocalCluster cluster, Path jar, String job, String prefix, int parallelism) throws Exception {
    String name = "bench-" + job + "-p" + parallelism;
    List<Long> tms = cluster.taskManagers().stream().map(NodeProcess::pid).toList();
    List<String> before = new ArrayList<>();
    cluster.rest("/jobs/overview").path("jobs").forEach(j -> before.add(j.path("jid").asText()));
    long cpu0 = cpuTicks(tms);
    cli("submit", "--jar", jar.toString(), "--jobmanager", cluster.restAddress(), "--wait", "300s", job,
        "--bootstrap-servers", cluster.bootstrapServers(), "--topic-prefix", prefix, "--bounded", "--parallelism",
        String.valueOf(parallelism), "--group-id", name, "--transactional-id-prefix", name);
    String id = null;
    for (JsonNode j : cluster.rest("/jobs/overview").path("jobs")) {
      if (!before.contains(j.path("jid").asText())) {
        id = j.path("jid").asText();
      }
    }
    if (id == null) {
      throw new IllegalStateException(name + ": no new job on the cluster after jobs submit");
    }
    JsonNode detail;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (true) {
      detail = cluster.rest("/jobs/" + id);
      String state = detail.path("state").asText();
      if (state.equals("FINISHED")) {
        break;
      }
      if (state.equals("FAILED") || state.equals("CANCELED") || System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " " + state + ": " + cluster.rest("/jobs/" + id + "/exceptions"));
      }
      Thread.sleep(500);
    }
    double cpu = (cpuTicks(tms) - cpu0) / (double) TICKS;
    double wall = detail.path("duration").asLong() / 1e3;
    long records = 0;
    for (JsonNode a : cluster.rest("/jobs/" + id + "/accumulators").path("user-task-accumulators")) {
      if (a.path("name").asText().equals(PreAggregateOperator.OBSERVATIONS)) {
        records += Long.parseLong(a.path("value").asText());
      }
    }
    System.out.printf("SCALEOUT %s parallelism %d: %d records in %.1f s wall (%.0f/s), %.1f s CPU of the TaskManagers "
        + "(%.0f records per CPU-second)%n", job, parallelism, records, wall, records / wall, cpu, records / cpu);
  }

  /** utime + stime of the processes, in clock ticks. */
  private static long cpuTicks(List<Long> pids) throws IOException {
    long ticks = 0;
    for (long pid : pids) {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    return ticks;
  }

  private static void cli(String... args) {
    StringWriter err = new StringWriter();
    int code = JobsMain.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    if (code != 0) {
      throw new IllegalStateException("jobs " + String.join(" ", Arrays.asList(args)) + " exited " + code + ": " + err);
    }
  }

  private ScaleOutBench() {
  }
}

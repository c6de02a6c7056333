package dev.bpfstream.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The fleet files say what the cluster harness ({@code cluster up}, the fault test) runs, so the two
 * cannot drift: Kafka's replication and topic creation, Flink's checkpoint storage and recovery, the
 * jobs' delivery guarantee and parallelism, the collector's spool volume and metrics address, and
 * published ports on loopback only. Nothing here needs a container engine.
 */
class FleetFilesTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final ClusterLayout HARNESS = ClusterLayout.defaults(Path.of("/data"), Path.of("/lib"));
  /** Broker settings that decide whether a broker's death loses or blocks anything. */
  static final Set<String> KAFKA_KEYS = Set.of("default.replication.factor", "min.insync.replicas", "offsets.topic.replication.factor",
      "transaction.state.log.replication.factor", "transaction.state.log.min.isr", "auto.create.topics.enable",
      "unclean.leader.election.enable");
  /** Flink settings that decide where checkpoints go and how a job comes back. */
  static final Set<String> FLINK_KEYS = Set.of("state.backend.type", "execution.checkpointing.externalized-checkpoint-retention",
      "restart-strategy.type", "heartbeat.interval", "heartbeat.timeout");
  static final List<String> JOBS = List.of("workload", "latency", "alerts run");

  @Test
  @SuppressWarnings("unchecked")
  void composeRunsTheHarnessKafkaCreatesTheTopicsAndGivesTheCollectorItsSpoolVolume() throws Exception {
    Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

    List<String> brokers = services.keySet().stream().filter(s -> s.startsWith("kafka")).toList();
    assertThat(brokers).hasSize(HARNESS.brokers());
    Map<String, String> harnessKafka = KafkaNodes.serverProperties(HARNESS, 1);
    for (String b : brokers) {
      Map<String, Object> env = (Map<String, Object>) services.get(b).get("environment");
      for (String key : KAFKA_KEYS) {
        assertThat(String.valueOf(env.get("KAFKA_" + key.toUpperCase().replace('.', '_')))).as(b + " " + key).isEqualTo(harnessKafka.get(key));
      }
      assertThat(String.valueOf(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).split(",")).as(b + ": a quorum of every broker").hasSize(HARNESS.brokers());
    }

    List<String> topics = command(services.get("topics"));
    assertThat(String.join(" ", topics)).contains("topics create");
    assertThat(option(topics, "--replication-factor")).isEqualTo(String.valueOf(KafkaNodes.REPLICATION_FACTOR));
    for (String dependent : List.of("jobs", "collector")) {
      assertThat(((Map<String, Map<String, Object>>) services.get(dependent).get("depends_on")).get("topics"))
          .as(dependent + " waits for the topics").containsEntry("condition", "service_completed_successfully");
    }

    Map<String, String> harnessFlink = FlinkNodes.configuration(HARNESS);
    for (String role : List.of("jobmanager", "taskmanager")) {
      Map<String, String> flink = new Yaml().load(String.valueOf(((Map<String, Object>) services.get(role).get("environment")).get("FLINK_PROPERTIES")));
      for (String key : FLINK_KEYS) {
        assertThat(String.valueOf(flink.get(key))).as(role + " " + key).isEqualTo(harnessFlink.get(key));
      }
      assertThat(String.valueOf(flink.get("high-availability.type"))).as(role).isEqualToIgnoringCase(harnessFlink.get("high-availability.type"));
      String dir = flink.get("state.checkpoints.dir").replaceFirst("^file://", "");
      assertThat((List<String>) services.get(role).get("volumes")).as(role + ": checkpoints on the shared volume")
          .anyMatch(v -> v.startsWith("flink-checkpoints:") && v.endsWith(":" + dir));
    }
    Object replicas = ((Map<String, Object>) services.get("taskmanager").getOrDefault("deploy", Map.of())).get("replicas");
    assertThat(replicas).as("TaskManagers").isEqualTo(HARNESS.taskManagers());

    String jobs = String.join(" ", command(services.get("jobs")));
    for (String job : JOBS) {
      assertThat(jobs).as("the jobs service submits " + job).contains("\"" + job);
    }
    assertThat(jobs).as("the cluster's checkpoint directory applies").doesNotContain("--checkpoint-dir");
    assertThat(jobs).contains("alerts run --delivery exactly-once");

    List<String> collector = command(services.get("collector"));
    String spool = option(collector, "--spool-dir");
    assertThat((List<String>) services.get("collector").get("volumes")).as("the spool on a named volume")
        .anyMatch(v -> v.endsWith(":" + spool) && !v.startsWith("/"));
    assertThat(option(collector, "--metrics-bind")).isNotNull();

    for (Map.Entry<String, Map<String, Object>> s : services.entrySet()) {
      for (Object port : (List<Object>) s.getValue().getOrDefault("ports", List.of())) {
        assertThat(port.toString()).as(s.getKey() + ": published ports bind loopback only").startsWith("127.0.0.1:");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void kubernetesCreatesTheTopicsRunsOneFlinkDeploymentPerJobAndLetsPrometheusReachTheCollector() throws Exception {
    List<String> job = (List<String>) container(single(load("topics-job.yaml"), "Job")).get("args");
    assertThat(String.join(" ", job)).contains("topics create");
    assertThat(option(job, "--replication-factor")).isEqualTo(String.valueOf(KafkaNodes.REPLICATION_FACTOR));

    Map<String, String> harnessFlink = FlinkNodes.configuration(HARNESS);
    List<Map<String, Object>> deployments = load("stream-jobs-flinkdeployment.yaml").stream()
        .filter(d -> "FlinkDeployment".equals(d.get("kind"))).toList();
    List<String> submitted = new ArrayList<>();
    String alerts = "";
    for (Map<String, Object> d : deployments) {
      Map<String, Object> spec = (Map<String, Object>) d.get("spec");
      Map<String, Object> flink = (Map<String, Object>) spec.get("flinkConfiguration");
      Map<String, Object> j = (Map<String, Object>) spec.get("job");
      List<String> args = (List<String>) j.get("args");
      String name = args.get(0).equals("alerts") ? "alerts " + args.get(1) : args.get(0);
      submitted.add(name);
      if (name.equals("alerts run")) {
        alerts = String.join(" ", args);
      }
      for (String key : FLINK_KEYS) {
        assertThat(String.valueOf(flink.get(key))).as(name + " " + key).isEqualTo(harnessFlink.get(key));
      }
      assertThat(String.valueOf(flink.get("state.checkpoints.dir"))).as(name + ": checkpoints in a store every process reaches").contains("://");
      assertThat(args).as(name + ": the cluster's checkpoint directory applies").doesNotContain("--checkpoint-dir");
      if (args.contains("--parallelism")) {
        assertThat(option(args, "--parallelism")).as(name + ": the job's parallelism is the deployment's").isEqualTo(String.valueOf(j.get("parallelism")));
      }
      if ("last-state".equals(j.get("upgradeMode"))) {
        assertThat(flink).as(name + ": last-state upgrades need HA metadata").containsKey("high-availability.type");
      }
    }
    assertThat(submitted).containsExactlyInAnyOrderElementsOf(JOBS);
    assertThat(alerts).contains("--delivery exactly-once");

    Map<String, Object> ds = single(load("collector-daemonset.yaml"), "DaemonSet");
    Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) ds.get("spec")).get("template");
    Map<String, Object> c = container(ds);
    List<String> args = (List<String>) c.get("args");
    Map<String, Object> annotations = (Map<String, Object>) ((Map<String, Object>) template.get("metadata")).get("annotations");
    assertThat(option(args, "--metrics-port")).isEqualTo(annotations.get("prometheus.io/port"));
    assertThat(c.get("ports").toString()).contains("containerPort=" + option(args, "--metrics-port"));
    assertThat(option(args, "--metrics-bind")).as("without host networking, the pod IP (or 0.0.0.0)").isIn("$(POD_IP)", "0.0.0.0");
    assertThat(c.get("env").toString()).contains("status.podIP");
    String spool = option(args, "--spool-dir");
    List<Map<String, Object>> mounts = (List<Map<String, Object>>) c.get("volumeMounts");
    String volume = mounts.stream().filter(m -> spool.equals(m.get("mountPath"))).map(m -> (String) m.get("name")).findFirst().orElse(null);
    assertThat(volume).as("the spool directory is on a volume").isNotNull();
    List<Map<String, Object>> volumes = (List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("volumes");
    assertThat(volumes).as("the spool volume is the node's disk").anyMatch(v -> volume.equals(v.get("name")) && v.containsKey("hostPath"));
  }

  @SuppressWarnings("unchecked")
  private static List<String> command(Map<String, Object> service) {
    List<String> out = new ArrayList<>();
    for (String key : List.of("entrypoint", "command")) {
      Object v = service.get(key);
      if (v instanceof List<?> l) {
        l.forEach(x -> out.add(String.valueOf(x)));
      } else if (v != null) {
        out.add(String.valueOf(v));
      }
    }
    return out;
  }

  private static String option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> load(String manifest) throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object d : new Yaml().loadAll(Files.readString(ROOT.resolve("deploy/kubernetes/" + manifest)))) {
      docs.add((Map<String, Object>) d);
    }
    return docs;
  }

  private static Map<String, Object> single(List<Map<String, Object>> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(Map<String, Object> workload) {
    Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) workload.get("spec")).get("template");
    return ((List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers")).get(0);
  }
}

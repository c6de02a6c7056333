package dev.bpfstream.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.Prerequisites;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The fleet files are valid and give the collector what it needs; no container engine required. */
class FleetDeploymentTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theComposeFileIsValidCompose() throws Exception {
    Prerequisites.requireCommand("docker-compose", "docker-compose");
    Process p = new ProcessBuilder("docker-compose", "-f", ROOT.resolve("docker-compose.yml").toString(), "config", "-q")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theComposeCollectorHasHostPidTheCapabilitiesAndTheKernelMounts() throws Exception {
    Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    Map<String, Object> collector = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("collector");
    assertThat(collector.get("pid")).isEqualTo("host");
    assertThat((List<String>) collector.get("cap_add")).contains("BPF", "PERFMON");
    assertThat((List<String>) collector.get("volumes")).anyMatch(v -> v.startsWith("/sys/kernel/btf:"))
        .anyMatch(v -> v.startsWith("/sys/kernel/tracing:")).anyMatch(v -> v.startsWith("/sys/fs/cgroup:"));
    for (Object svc : ((Map<String, Object>) compose.get("services")).values()) {
      for (Object port : (List<Object>) ((Map<String, Object>) svc).getOrDefault("ports", List.of())) {
        assertThat(port.toString()).as("published ports bind loopback only").startsWith("127.0.0.1:");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDaemonSetRunsOnePrivilegedEnoughCollectorPerNodeNamedByTheNode() throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object d : new Yaml().loadAll(Files.readString(ROOT.resolve("deploy/kubernetes/collector-daemonset.yaml")))) {
      docs.add((Map<String, Object>) d);
    }
    Map<String, Object> ds = docs.stream().filter(d -> "DaemonSet".equals(d.get("kind"))).findFirst().orElseThrow();
    Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ds.get("spec")).get("template")).get("spec");
    assertThat(pod.get("hostPID")).isEqualTo(true);
    Map<String, Object> c = ((List<Map<String, Object>>) pod.get("containers")).get(0);
    assertThat((List<String>) c.get("args")).contains("--host-id", "$(NODE_NAME)");
    assertThat(c.get("env").toString()).contains("spec.nodeName");
    assertThat(c.get("securityContext").toString()).contains("BPF").contains("PERFMON");
  }

  @Test
  void theDockerfilesCopyTheJarsTheBuildMakes() throws Exception {
    assertThat(Files.readString(ROOT.resolve("deploy/docker/collector.Dockerfile"))).contains("collector/target/bpfstream-collector.jar");
    assertThat(Files.readString(ROOT.resolve("deploy/docker/stream-jobs.Dockerfile"))).contains("stream-jobs/target/bpfstream-stream-jobs.jar");
    assertThat(Files.readString(ROOT.resolve("collector/pom.xml"))).contains("<finalName>bpfstream-collector</finalName>");
  }
}

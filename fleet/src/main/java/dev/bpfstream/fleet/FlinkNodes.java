package dev.bpfstream.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * The Flink session cluster: a JobManager ({@code StandaloneSessionClusterEntrypoint}) and
 * TaskManagers ({@code TaskManagerRunner}), configured through one {@code config.yaml} with the keys
 * a real cluster uses, and launched the way Flink's own scripts launch them: JVM memory flags and the
 * derived memory settings computed from that file by Flink's own code (what {@code BashJavaUtils}
 * does for {@code jobmanager.sh} and {@code taskmanager.sh}).
 */
public final class FlinkNodes {
  public static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  public static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  public static final String JOB_MANAGER = "jobmanager";

  /** What flink-dist's config.yaml gives every Flink JVM on Java 17 (reflection its serializers and RPC need). */
  static final String JAVA17_OPENS = String.join(" ",
      "-XX:+IgnoreUnrecognizedVMOptions",
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private FlinkNodes() {
  }

  public static String taskManagerName(int i) {
    return "taskmanager-" + i;
  }

  /** The cluster's config.yaml, key by key (FleetFilesTest compares the compose file and manifests with it). */
  public static Map<String, String> configuration(ClusterLayout l) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("jobmanager.rpc.address", ClusterLayout.LOOPBACK);
    c.put("jobmanager.rpc.port", String.valueOf(l.rpcPort()));
    c.put("jobmanager.bind-host", ClusterLayout.LOOPBACK);
    c.put("jobmanager.memory.process.size", l.jobManagerMemory());
    c.put("taskmanager.host", ClusterLayout.LOOPBACK);
    c.put("taskmanager.bind-host", ClusterLayout.LOOPBACK);
    c.put("taskmanager.numberOfTaskSlots", String.valueOf(l.slots()));
    c.put("taskmanager.memory.process.size", l.taskManagerMemory());
    // The jobs keep their state on the heap (hashmap backend): managed memory would sit unused.
    c.put("taskmanager.memory.managed.size", "64m");
    c.put("rest.address", ClusterLayout.LOOPBACK);
    c.put("rest.bind-address", ClusterLayout.LOOPBACK);
    c.put("rest.port", String.valueOf(l.restPort()));
    c.put("blob.server.port", String.valueOf(l.blobPort()));
    c.put("high-availability.type", "NONE");
    c.put("state.backend.type", "hashmap");
    c.put("state.checkpoints.dir", l.checkpoints().toUri().toString());
    c.put("state.savepoints.dir", l.savepoints().toUri().toString());
    c.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    c.put("restart-strategy.type", "exponential-delay");
    // A TaskManager killed outright is noticed within seconds (its RPC fails), not after the 50 s default.
    c.put("heartbeat.interval", "2s");
    c.put("heartbeat.timeout", "15s");
    c.put("web.upload.dir", l.flinkData().resolve("uploads").toString());
    c.put("io.tmp.dirs", l.flinkData().resolve("tmp").toString());
    c.put("env.java.default-opts.all", JAVA17_OPENS);
    return c;
  }

  /** Writes conf/flink/config.yaml (and the directories it names); returns the configuration directory. */
  static Path writeConfiguration(ClusterLayout l, Map<String, String> overrides) {
    Path dir = l.conf().resolve("flink");
    StringBuilder yaml = new StringBuilder("# Flink configuration of the bpfstream cluster (written by cluster up; edits are overwritten).\n");
    Map<String, String> c = configuration(l);
    c.putAll(overrides);
    c.forEach((k, v) -> yaml.append(k).append(": ").append(quote(v)).append('\n'));
    try {
      Files.createDirectories(dir);
      Files.createDirectories(l.checkpoints());
      Files.createDirectories(l.savepoints());
      Files.createDirectories(l.flinkData().resolve("uploads"));
      Files.createDirectories(l.flinkData().resolve("tmp"));
      Files.writeString(dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Flink configuration in " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }

  private static String quote(String v) {
    return v.matches("[A-Za-z0-9_./:-]+") ? v : "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static NodeProcess startJobManager(ClusterLayout l, Path confDir) {
    Configuration c = GlobalConfiguration.loadConfiguration(confDir.toString());
    JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(c);
    List<String> jvm = new ArrayList<>(split(JobManagerProcessUtils.generateJvmParametersStr(spec, c)));
    jvm.addAll(javaOptions(c, CoreOptions.FLINK_JM_JVM_OPTIONS.key()));
    jvm.addAll(logging(l, JOB_MANAGER));
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
    args.addAll(split(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
    return NodeProcess.start(l, JOB_MANAGER, jvm, JOB_MANAGER_MAIN, args);
  }

  static NodeProcess startTaskManager(ClusterLayout l, Path confDir, int index) {
    Configuration c = GlobalConfiguration.loadConfiguration(confDir.toString());
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(c);
    List<String> jvm = new ArrayList<>(split(ProcessMemoryUtils.generateJvmParametersStr(spec)));
    jvm.addAll(javaOptions(c, CoreOptions.FLINK_TM_JVM_OPTIONS.key()));
    jvm.addAll(logging(l, taskManagerName(index)));
    // Its resource id is its process name, so the REST API's TaskManager and the process are the same name.
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString(), "-D", "taskmanager.resource-id=" + taskManagerName(index)));
    args.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
    return NodeProcess.start(l, taskManagerName(index), jvm, TASK_MANAGER_MAIN, args);
  }

  /** env.java.default-opts.all, env.java.opts.all and the role's own options, as Flink's scripts join them. */
  private static List<String> javaOptions(Configuration c, String roleKey) {
    List<String> out = new ArrayList<>();
    for (String key : List.of(CoreOptions.FLINK_DEFAULT_JVM_OPTIONS.key(), CoreOptions.FLINK_JVM_OPTIONS.key(), roleKey)) {
      out.addAll(split(c.toMap().getOrDefault(key, "")));
    }
    return out;
  }

  private static List<String> logging(ClusterLayout l, String name) {
    return List.of("-Dlog.file=" + l.logs().resolve(name + ".log"), "-Dlog4j.configurationFile=" + NodeLogging.file(l).toUri());
  }

  private static List<String> split(String s) {
    return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
  }
}

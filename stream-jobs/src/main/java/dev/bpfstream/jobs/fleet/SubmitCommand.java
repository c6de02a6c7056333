package dev.bpfstream.jobs.fleet;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bpfstream.jobs.FlinkTarget;
import dev.bpfstream.jobs.JobsMain;
import dev.bpfstream.options.DurationOrOffConverter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jobs submit}: a job to a Flink cluster, the way a user submits any jar to a remote cluster:
 * the shaded jobs jar uploaded through the JobManager's REST API and run there with the job's
 * command line. The job runs detached; its checkpoints go where the cluster's
 * {@code state.checkpoints.dir} says unless the job's {@code --checkpoint-dir} says otherwise.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = {"Submit a job to a Flink cluster through its REST API (upload the jobs jar, run it), then wait until it runs.",
        "Everything after the options is the job's own command line, e.g.",
        "  submit --jobmanager 127.0.0.1:8081 workload --bootstrap-servers 127.0.0.1:19092 --parallelism 2",
        "  submit --jobmanager 127.0.0.1:8081 alerts run --delivery exactly-once --bootstrap-servers 127.0.0.1:19092"})
public final class SubmitCommand implements Callable<Integer> {
  /** The commands that are jobs; the others (generate, sql, alerts tail, ...) are tools run where you are. */
  static final Set<String> JOBS = Set.of("workload", "latency", "alerts run");

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--jobmanager", defaultValue = "127.0.0.1:8081", description = "host:port of the JobManager's REST API (default: ${DEFAULT-VALUE}).")
  String jobManager;

  @Option(names = "--jar", description = "The jobs jar to submit (default: the jar this command runs from).")
  Path jar;

  @Option(names = "--wait", defaultValue = "120s", converter = DurationOrOffConverter.class,
      description = "How long to wait for every task of the job to run; off: do not wait (default: ${DEFAULT-VALUE}).")
  Duration wait;

  @Parameters(arity = "1..*", paramLabel = "JOB", description = "The job and its options: workload ..., latency ..., alerts run ...")
  List<String> job;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String which = job.get(0).equals("alerts") && job.size() > 1 ? "alerts " + job.get(1) : job.get(0);
    if (!JOBS.contains(which)) {
      throw new IllegalArgumentException("'" + which + "' is not a job; submit takes one of " + JOBS.stream().sorted().toList());
    }
    if (job.contains("--jobmanager")) {
      throw new IllegalArgumentException("the job's own --jobmanager does not apply here: give it to submit, before the job");
    }
    // A typo is refused here, in one line, rather than by the JobManager in a stack trace.
    try {
      JobsMain.commandLine().parseArgs(job.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(which + ": " + e.getMessage());
    }
    Path file = jar != null ? jar : ownJar();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no jobs jar at " + file + " (--jar; build it with mvn -B -DskipTests package)");
    }
    FlinkRest rest = new FlinkRest(jobManager);
    String jarId = rest.upload(file);
    String jobId = rest.run(jarId, JobsMain.class.getName(), job);
    if (jobId.isEmpty()) {
      throw new IllegalStateException(which + " was run on " + jobManager + " but submitted no job");
    }
    String state = wait.isZero() ? "SUBMITTED" : awaitRunning(rest, jobId, which);
    out.printf("%s: job %s %s on %s (web UI %s/#/job/running/%s/overview)%n", which, jobId, state, jobManager, rest.base(), jobId);
    out.flush();
    return 0;
  }

  private String awaitRunning(FlinkRest rest, String jobId, String which) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      JsonNode j = rest.get("/jobs/" + jobId);
      state = j.path("state").asText();
      if (state.equals("FINISHED")) {
        return state; // a bounded run (--bounded) that was done before every task was seen running
      }
      if (state.equals("FAILED") || state.equals("CANCELED")) {
        String root = rest.get("/jobs/" + jobId + "/exceptions").path("root-exception").asText("");
        throw new IllegalStateException(which + ": job " + jobId + " " + state
            + (root.isEmpty() ? "" : ": " + root.split("\n")[0]));
      }
      boolean allRunning = state.equals("RUNNING") && j.path("vertices").size() > 0;
      for (JsonNode v : j.path("vertices")) {
        // A bounded run's task that read all its input has finished, not failed.
        allRunning &= v.path("status").asText().equals("RUNNING") || v.path("status").asText().equals("FINISHED");
      }
      if (allRunning) {
        return "RUNNING";
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(which + ": job " + jobId + " is " + state + ", not running every task after " + wait.toSeconds()
        + " s: does the cluster have free task slots? (" + rest.base() + "/#/overview)");
  }

  private static Path ownJar() {
    String own = FlinkTarget.ownJar();
    if (own == null) {
      throw new IllegalArgumentException("give the jobs jar with --jar (this command does not run from it)");
    }
    return Path.of(own);
  }
}

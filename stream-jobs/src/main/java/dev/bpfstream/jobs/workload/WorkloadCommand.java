package dev.bpfstream.jobs.workload;

import java.util.concurrent.Callable;

import dev.bpfstream.jobs.JobEnvironment;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.cli.JobOptions;
import dev.bpfstream.jobs.cli.JobRun;
import dev.bpfstream.jobs.cli.WindowOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code workload}: runs the workload characterization job. */
@Command(name = "workload", mixinStandardHelpOptions = true,
    description = "Workload characterization (who, why, what, how it is changing) to agg.workload.")
public final class WorkloadCommand implements Callable<Integer> {
  @Mixin
  JobOptions options;

  @Mixin
  WindowOptions windows;

  @Override
  public Integer call() throws Exception {
    JobSettings s = windows.applyTo(options.settings(WorkloadJob.NAME));
    StreamExecutionEnvironment env = JobEnvironment.create(s, options.flinkConfiguration(WorkloadJob.NAME, System.err));
    WorkloadJob.fromKafka(s).build(env);
    JobRun.execute(env, "bpfstream-" + WorkloadJob.NAME, s);
    return 0;
  }
}

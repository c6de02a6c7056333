package dev.bpfstream.jobs.latency;

import java.util.concurrent.Callable;

import dev.bpfstream.jobs.JobEnvironment;
import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.cli.JobOptions;
import dev.bpfstream.jobs.cli.JobRun;
import dev.bpfstream.jobs.cli.WindowOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code latency}: runs the latency aggregates job. */
@Command(name = "latency", mixinStandardHelpOptions = true,
    description = "Latency aggregates (block I/O, queue, run queue, file ops, TCP connect) to agg.latency.")
public final class LatencyCommand implements Callable<Integer> {
  @Mixin
  JobOptions options;

  @Mixin
  WindowOptions windows;

  @Override
  public Integer call() throws Exception {
    JobSettings s = windows.applyTo(options.settings(LatencyJob.NAME));
    StreamExecutionEnvironment env = JobEnvironment.create(s, options.flinkConfiguration(LatencyJob.NAME, System.err));
    LatencyJob.fromKafka(s).build(env);
    JobRun.execute(env, "bpfstream-" + LatencyJob.NAME, s);
    return 0;
  }
}

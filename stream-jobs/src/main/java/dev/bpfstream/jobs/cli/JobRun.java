package dev.bpfstream.jobs.cli;

import java.lang.management.ManagementFactory;

import dev.bpfstream.jobs.window.PreAggregateOperator;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs a job to its end and, for bounded runs, says how fast it went. */
public final class JobRun {
  private JobRun() {
  }

  public static void execute(StreamExecutionEnvironment env, String name) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    JobExecutionResult r = env.execute(name);
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    Object n = r.getAccumulatorResult(PreAggregateOperator.OBSERVATIONS);
    long events = n instanceof Long l ? l : 0;
    System.out.printf("%s: %d records in %.2f s wall (%.0f/s), %.2f s CPU (%.0f records per CPU-second), job runtime %d ms%n",
        name, events, wall, events / wall, cpu, events / cpu, r.getNetRuntime());
  }
}

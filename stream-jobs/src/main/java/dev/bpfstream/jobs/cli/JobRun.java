package dev.bpfstream.jobs.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.jobs.JobSettings;
import dev.bpfstream.jobs.window.PreAggregateOperator;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a job. A bounded run on the local MiniCluster is watched once a second (records read, this
 * process's CPU time) and ends with a throughput line: whole run, and steady state (between 10% and
 * 90% of the records, so start-up and JIT warm-up are left out). Submitted to a cluster it is not
 * watched: this process's CPU time is not the job's, and a REST jar run (`jobs submit`, the web UI)
 * has no job result or accumulators to give: Flink throws there, after the job was submitted.
 */
public final class JobRun {
  private JobRun() {
  }

  record Sample(double wallS, long records, double cpuS) {
  }

  public static void execute(StreamExecutionEnvironment env, String name, JobSettings settings) throws Exception {
    if (!settings.bounded() || !(env instanceof LocalStreamEnvironment)) {
      env.execute(name);
      return;
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long t0 = System.nanoTime();
    long cpu0 = os.getProcessCpuTime();
    JobClient job = env.executeAsync(name);
    List<Sample> samples = new ArrayList<>();
    CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
    while (!result.isDone()) {
      Thread.sleep(1000);
      try {
        Map<String, Object> acc = job.getAccumulators().get(5, TimeUnit.SECONDS);
        Object n = acc.get(PreAggregateOperator.OBSERVATIONS);
        samples.add(new Sample((System.nanoTime() - t0) / 1e9, n instanceof Long l ? l : 0, (os.getProcessCpuTime() - cpu0) / 1e9));
      } catch (Exception e) {
        // The job may finish between the status check and the accumulator call.
      }
    }
    JobExecutionResult r = result.get();
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    Object n = r.getAccumulatorResult(PreAggregateOperator.OBSERVATIONS);
    long total = n instanceof Long l ? l : 0;
    System.out.printf("%s: %d records in %.1f s wall (%.0f/s), %.1f s CPU of this process (%.0f records per CPU-second)%n",
        name, total, wall, total / wall, cpu, total / cpu);
    Sample from = null;
    Sample to = null;
    for (Sample s : samples) {
      if (from == null && s.records() >= total / 10) {
        from = s;
      }
      if (s.records() <= total * 9 / 10) {
        to = s;
      }
    }
    if (from != null && to != null && to.records() > from.records()) {
      long records = to.records() - from.records();
      System.out.printf("%s steady state: %d records in %.1f s wall (%.0f/s), %.1f s CPU (%.0f records per CPU-second)%n",
          name, records, to.wallS() - from.wallS(), records / (to.wallS() - from.wallS()), to.cpuS() - from.cpuS(),
          records / (to.cpuS() - from.cpuS()));
    }
  }
}

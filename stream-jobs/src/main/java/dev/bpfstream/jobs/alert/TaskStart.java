package dev.bpfstream.jobs.alert;

import org.apache.flink.streaming.api.TimerService;

/**
 * When a task (re)started, on its timer service's clock: its first record or timer. Quiet time of
 * a subject counts from there at the earliest, so that after a restore (an upgrade, a restart after
 * an outage) the old run's due timers do not take the job's own downtime for the subject's silence.
 */
final class TaskStart {
  private long ms = -1;

  long ms(TimerService timers) {
    if (ms < 0) {
      ms = timers.currentProcessingTime();
    }
    return ms;
  }

  /** The later of a last arrival and the task's start. */
  long since(long lastArrivalMs, TimerService timers) {
    return Math.max(lastArrivalMs, ms(timers));
  }
}

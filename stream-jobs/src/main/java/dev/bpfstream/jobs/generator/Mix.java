package dev.bpfstream.jobs.generator;

import java.util.EnumMap;
import java.util.Map;

import dev.bpfstream.schema.Topic;

/** Which per-task events the generator plays, and in what proportions. */
public enum Mix {
  /** Everything, roughly as a busy server emits it. */
  ALL(Map.of(Topic.BLOCK_IO, 30, Topic.OPEN, 25, Topic.TCP, 15, Topic.FILE_SLOW, 5, Topic.EXEC, 3, Topic.EXIT, 3,
      Topic.PROFILE, 19)),
  /** What the latency job reads per event. */
  LATENCY(Map.of(Topic.BLOCK_IO, 60, Topic.FILE_SLOW, 20, Topic.TCP, 20)),
  /** What the workload job reads. */
  WORKLOAD(Map.of(Topic.BLOCK_IO, 30, Topic.OPEN, 25, Topic.TCP, 15, Topic.FILE_SLOW, 5, Topic.EXEC, 3, Topic.EXIT, 3,
      Topic.PROFILE, 19)),
  /**
   * The workload job's per-task events without profile samples: each record is one event in a
   * summary's eventCount (a profile sample counts as CPU samples), so runs can account for every record.
   */
  TASK_EVENTS(Map.of(Topic.BLOCK_IO, 37, Topic.OPEN, 31, Topic.TCP, 18, Topic.FILE_SLOW, 6, Topic.EXEC, 4, Topic.EXIT, 4));

  private final Map<Topic, Integer> weights;

  Mix(Map<Topic, Integer> weights) {
    this.weights = new EnumMap<>(weights);
  }

  public Map<Topic, Integer> weights() {
    return weights;
  }

  /** Topics in a fixed order with cumulative weights out of 100. */
  Topic[] table() {
    Topic[] t = new Topic[100];
    int i = 0;
    for (Topic topic : Topic.values()) {
      Integer w = weights.get(topic);
      if (w != null) {
        for (int k = 0; k < w; k++) {
          t[i++] = topic;
        }
      }
    }
    if (i != 100) {
      throw new IllegalStateException(this + " weights add up to " + i + ", not 100");
    }
    return t;
  }
}

package dev.bpfstream.jobs.alert.rule;

import dev.bpfstream.schema.Topic;

/** The summary topics windowed rules read. */
public enum SummarySource {
  WORKLOAD("workload", Topic.WORKLOAD),
  LATENCY("latency", Topic.LATENCY);

  private final String word;
  private final Topic topic;

  SummarySource(String word, Topic topic) {
    this.word = word;
    this.topic = topic;
  }

  /** The word used in rules files. */
  public String word() {
    return word;
  }

  public Topic topic() {
    return topic;
  }
}

package dev.bpfstream.jobs.alert.rule;

import dev.bpfstream.event.Severity;

/** A rule on raw events: one of the known {@link PatternSpec} patterns with its parameters. */
public record PatternRule(String id, Severity severity, String description, PatternSpec spec,
                          AlertPolicy policy) implements Rule {
  @Override
  public String kind() {
    return "pattern";
  }
}

package dev.bpfstream.jobs.alert.rule;

import java.io.Serializable;

import dev.bpfstream.event.Severity;

/** One rule of a rules file. Rules travel inside Flink operators, hence serializable. */
public sealed interface Rule extends Serializable permits SummaryRule, PatternRule, AbsenceRule {
  String id();

  /** The rule kind as written in the file: threshold, sustained, rate-of-change, pattern, absence. */
  String kind();

  Severity severity();

  String description();

  AlertPolicy policy();
}

package dev.bpfstream.jobs.alert.rule;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bpfstream.schema.Topic;

/** The parsed rules of one file, in file order. */
public record RuleSet(List<Rule> rules) implements Serializable {
  public RuleSet {
    rules = List.copyOf(rules);
  }

  public Map<String, Rule> byId() {
    Map<String, Rule> m = new LinkedHashMap<>();
    rules.forEach(r -> m.put(r.id(), r));
    return m;
  }

  public Rule rule(String id) {
    for (Rule r : rules) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    throw new IllegalArgumentException("no rule '" + id + "'");
  }

  public List<SummaryRule> summaryRules(SummarySource source) {
    return rules.stream().filter(r -> r instanceof SummaryRule s && s.source() == source).map(r -> (SummaryRule) r).toList();
  }

  public List<PatternRule> patternRules(Class<? extends PatternSpec> pattern) {
    return rules.stream().filter(r -> r instanceof PatternRule p && pattern.isInstance(p.spec())).map(r -> (PatternRule) r).toList();
  }

  public List<AbsenceRule> absenceRules() {
    return rules.stream().filter(r -> r instanceof AbsenceRule).map(r -> (AbsenceRule) r).toList();
  }

  /** The topics the rules read: the job subscribes to these only. */
  public Set<Topic> inputTopics() {
    Set<Topic> topics = EnumSet.noneOf(Topic.class);
    for (Rule r : rules) {
      if (r instanceof SummaryRule s) {
        topics.add(s.source().topic());
      } else if (r instanceof PatternRule p) {
        topics.addAll(p.spec().topics());
      } else {
        topics.add(Topic.HEALTH);
      }
    }
    return topics;
  }
}

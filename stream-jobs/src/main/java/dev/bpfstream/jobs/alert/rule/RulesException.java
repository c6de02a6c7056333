package dev.bpfstream.jobs.alert.rule;

import java.util.List;
import java.util.stream.Collectors;

/** A rules file that cannot be used: every problem found, one per line as file:line: reason. */
public final class RulesException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient List<RuleError> errors;

  public RulesException(List<RuleError> errors) {
    super(errors.stream().map(RuleError::toString).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<RuleError> errors() {
    return errors;
  }
}

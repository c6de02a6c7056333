package dev.bpfstream.jobs.alert.rule;

/** One problem in a rules file, where it is and what to change. */
public record RuleError(String file, int line, String reason) {
  @Override
  public String toString() {
    return file + ":" + line + ": " + reason;
  }
}

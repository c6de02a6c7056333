package dev.bpfstream.jobs.alert.rule;

/** Strict comparisons: a value equal to the limit does not trigger. */
public enum Comparison {
  ABOVE(">"),
  BELOW("<");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  public boolean holds(double value, double limit) {
    return this == ABOVE ? value > limit : value < limit;
  }
}

package dev.bpfstream.broker.junit;

/**
 * A test class (or one test) that did not run: one line of a module's {@code target/not-run.txt}.
 *
 * @param kind ABORTED (a missing prerequisite: {@link Prerequisites#require}) or DISABLED (off by
 *             design, e.g. an opt-in soak test)
 * @param test the class, or {@code Class#method}
 */
public record NotRun(Kind kind, String test, String reason) {
  public enum Kind { ABORTED, DISABLED }

  public String line() {
    return kind + "\t" + test + "\t" + reason.replaceAll("\\s+", " ").strip();
  }

  public static NotRun parse(String line) {
    String[] f = line.split("\t", 3);
    if (f.length != 3) {
      throw new IllegalArgumentException("not a not-run line: " + line);
    }
    return new NotRun(Kind.valueOf(f[0]), f[1], f[2]);
  }
}

package dev.bpfstream.jobs.alert.rule;

/** One problem in a rules file, where it is and what to change. */
public record RuleError(String file, int line, String reason) {
  /** One line: a value quoted from the file may hold line breaks or control characters; they are escaped. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(file).append(':').append(line).append(": ");
    reason.codePoints().forEach(c -> {
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
        sb.append(String.format("\\u%04x", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.toString();
  }
}

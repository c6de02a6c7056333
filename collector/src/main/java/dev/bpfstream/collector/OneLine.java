package dev.bpfstream.collector;

/** Text from a file, a flag or a parser, made fit for a one-line error message. */
public final class OneLine {
  private OneLine() {
  }

  /** {@code s} with line breaks and other control characters escaped ({@code \u000a}), so the message stays one line. */
  public static String of(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
        sb.append(String.format("\\u%04x", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.toString();
  }
}

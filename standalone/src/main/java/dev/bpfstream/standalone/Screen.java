package dev.bpfstream.standalone;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where the live view draws its frames. On a terminal, like top: the alternate screen (the shell's
 * screen comes back on exit, the scrollback is not filled with frames), each frame drawn from the
 * top left over the last, cut to the terminal's size, which is read for every frame. Elsewhere (a
 * pipe, a file) each frame is appended, whole, after a blank line.
 */
final class Screen implements AutoCloseable {
  private static final String ALTERNATE_SCREEN_AND_HIDDEN_CURSOR = "\033[?1049h\033[?25l";
  private static final String MAIN_SCREEN_AND_CURSOR = "\033[?25h\033[?1049l";
  private static final String HOME = "\033[H";
  private static final String CLEAR_TO_END_OF_LINE = "\033[K";
  private static final String CLEAR_BELOW = "\033[J";

  private final PrintStream out;
  /** Null when appending. */
  private final Supplier<Terminal.Size> size;
  private boolean alternate;

  Screen(PrintStream out, Supplier<Terminal.Size> size) {
    this.out = out;
    this.size = size;
  }

  /** On standard output: in place when it is a terminal, else appended. */
  static Screen stdout(PrintStream out) {
    Terminal t = Terminal.stdout();
    return new Screen(out, t == null ? null : t::size);
  }

  static Screen appending(PrintStream out) {
    return new Screen(out, null);
  }

  /** Rows a frame may have (no limit when appending). */
  synchronized int rows() {
    return size == null ? Integer.MAX_VALUE : size.get().rows();
  }

  synchronized void draw(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    if (size == null) {
      sb.append('\n');
      lines.forEach(l -> sb.append(l).append('\n'));
    } else {
      if (!alternate) {
        sb.append(ALTERNATE_SCREEN_AND_HIDDEN_CURSOR);
        alternate = true;
      }
      Terminal.Size s = size.get();
      sb.append(HOME);
      int n = Math.min(lines.size(), s.rows());
      for (int i = 0; i < n; i++) {
        String line = lines.get(i).replace('\n', ' ').replace('\r', ' ');
        sb.append(line.length() <= s.columns() ? line : line.substring(0, s.columns())).append(CLEAR_TO_END_OF_LINE);
        if (i < n - 1) {
          sb.append('\n'); // no newline after the last row: it would scroll the frame up
        }
      }
      sb.append(CLEAR_BELOW);
    }
    out.print(sb);
    out.flush();
  }

  /** Gives the terminal its own screen and cursor back. */
  @Override
  public synchronized void close() {
    if (alternate) {
      out.print(MAIN_SCREEN_AND_CURSOR);
      out.flush();
      alternate = false;
    }
  }
}

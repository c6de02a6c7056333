package dev.bpfstream.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class ScreenTest {
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  String printed() {
    String s = bytes.toString(StandardCharsets.UTF_8);
    bytes.reset();
    return s;
  }

  @Test
  void onATerminalEachFrameIsDrawnOverTheLastOnTheAlternateScreenCutToItsSize() {
    Terminal.Size[] size = {new Terminal.Size(3, 10)};
    Screen screen = new Screen(out, () -> size[0]);
    assertThat(screen.rows()).isEqualTo(3);

    screen.draw(List.of("header", "a line longer than ten", "third", "fourth: no room"));
    assertThat(printed()).isEqualTo("\033[?1049h\033[?25l" + "\033[H"
        + "header\033[K\n" + "a line lon\033[K\n" + "third\033[K" + "\033[J");

    size[0] = new Terminal.Size(2, 40); // resized
    screen.draw(List.of("header", "one"));
    assertThat(printed()).isEqualTo("\033[H" + "header\033[K\n" + "one\033[K" + "\033[J");

    screen.close();
    assertThat(printed()).isEqualTo("\033[?25h\033[?1049l");
  }

  @Test
  void pipedEachFrameIsAppendedWholeAndPlain() {
    Screen screen = Screen.appending(out);
    assertThat(screen.rows()).isEqualTo(Integer.MAX_VALUE);
    screen.draw(List.of("header", "a line longer than ten"));
    screen.draw(List.of("header", "two"));
    screen.close();
    assertThat(printed()).isEqualTo("\nheader\na line longer than ten\n\nheader\ntwo\n").doesNotContain("\033");
  }
}

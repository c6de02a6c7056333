package dev.bpfstream.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FlameGraphTest {
  private static Stack stack(int firstKernel, String... frames) {
    return new Stack(frames, firstKernel);
  }

  private static final Stack MAIN_WORK = stack(3, "app", "main", "work");
  private static final Stack MAIN_WORK_READ = stack(3, "app", "main", "work", "vfs_read");
  private static final Stack MAIN_IDLE = stack(3, "app", "main", "idle");

  @Test
  void framesAreSizedBySamplesAndKernelFramesAreToldApart() {
    FlameGraph g = FlameGraph.of(Map.of(MAIN_WORK, 6L, MAIN_WORK_READ, 2L, MAIN_IDLE, 2L));
    String svg = g.svg("t", List.of());
    assertThat(g.total()).isEqualTo(10);
    assertThat(svg).contains("data-name=\"work\" data-path=\"app;main;work\" data-value=\"8\"")
        .contains("class=\"f k\" data-name=\"vfs_read\"").contains("class=\"f u\" data-name=\"idle\"")
        .contains("class=\"f c\" data-name=\"app\"").contains("work (8 samples, 80.0%)");
    // work is 80 % of 1200 px wide.
    assertThat(svg).containsPattern("data-name=\"work\"[^>]*><title>[^<]*</title><rect x=\"[0-9.]+\" y=\"\\d+\" width=\"959.5\"");
  }

  @Test
  void aFocusSpansTheWholeWidthWithItsAncestorsBelow() {
    FlameGraph g = FlameGraph.of(Map.of(MAIN_WORK, 6L, MAIN_WORK_READ, 2L, MAIN_IDLE, 2L));
    String svg = g.svg("t", List.of("app", "main", "work"));
    assertThat(svg).containsPattern("class=\"f u\" data-name=\"work\"[^>]*><title>[^<]*</title><rect x=\"0.0\" y=\"\\d+\" width=\"1199.5\"")
        .contains("class=\"f c anc\" data-name=\"app\" data-path=\"app\"").doesNotContain("data-name=\"idle\"");
    assertThat(g.svg("t", List.of("app", "nope"))).contains("data-name=\"idle\""); // an unknown focus draws everything
  }

  @Test
  void aDifferentialGraphColoursGrowthRedAndShrinkageBlue() {
    FlameGraph g = FlameGraph.diff(Map.of(MAIN_WORK, 9L, MAIN_IDLE, 1L), Map.of(MAIN_WORK, 5L, MAIN_IDLE, 5L));
    String svg = g.svg("t", List.of());
    assertThat(svg).containsPattern("data-name=\"work\"[^>]*><title>work \\(9 samples, 90.0%, baseline 5 samples, share \\+40.00 points\\)</title><rect[^>]*fill=\"rgb\\(255,55,55\\)\"")
        .containsPattern("data-name=\"idle\"[^>]*><title>[^<]*share -40.00 points\\)</title><rect[^>]*fill=\"rgb\\(55,55,255\\)\"");
    assertThat(FlameGraph.foldedDiff(Map.of(MAIN_WORK, 9L), Map.of(MAIN_IDLE, 5L)))
        .isEqualTo("app;main;idle 5 0\napp;main;work 0 9\n");
  }

  @Test
  void foldedTextMarksKernelFramesAndNamesAreEscapedInTheSvg() {
    Stack s = stack(2, "a<b>", "f&g", "k1");
    assertThat(FlameGraph.folded(Map.of(s, 3L))).isEqualTo("a<b>;f&g;k1_[k] 3\n");
    assertThat(FlameGraph.of(Map.of(s, 3L)).svg("<t>", List.of())).contains("a&lt;b&gt;").contains("f&amp;g").contains("&lt;t&gt;")
        .doesNotContain("<b>");
  }
}

package dev.bpfstream.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A flame graph drawn as SVG on the server: the stacks merged into a tree (root at the bottom,
 * width = samples, siblings in name order as flamegraph.pl draws them), kernel frames, user frames
 * and command names in different colours. With a baseline it is a differential flame graph:
 * widths are the samples of the selection, colour is how much each frame's share of all samples
 * grew (red) or shrank (blue) against the baseline. A focus path zooms to one frame: it spans the
 * whole width, its ancestors stay below it.
 */
final class FlameGraph {
  static final int WIDTH = 1200;
  static final int FRAME_HEIGHT = 17;
  static final int MAX_DEPTH = 256;
  private static final double MIN_WIDTH = 0.3;
  private static final double CHAR_WIDTH = 7.0;

  enum Kind { ROOT, COMMAND, USER, KERNEL, LOST }

  static final class Node {
    final String name;
    final Kind kind;
    long value;
    long base;
    final Map<String, Node> children = new LinkedHashMap<>();

    Node(String name, Kind kind) {
      this.name = name;
      this.kind = kind;
    }

    Node child(String name, Kind kind) {
      return children.computeIfAbsent(kind.ordinal() + name, k -> new Node(name, kind));
    }
  }

  private final Node root = new Node("all", Kind.ROOT);
  private final boolean differential;
  private long total;
  private long baseTotal;

  private FlameGraph(boolean differential) {
    this.differential = differential;
  }

  static FlameGraph of(Map<Stack, Long> samples) {
    FlameGraph g = new FlameGraph(false);
    samples.forEach((s, n) -> g.add(s, n, false));
    return g;
  }

  /** A differential graph: widths from {@code samples}, colours from the change against {@code baseline}. */
  static FlameGraph diff(Map<Stack, Long> samples, Map<Stack, Long> baseline) {
    FlameGraph g = new FlameGraph(true);
    samples.forEach((s, n) -> g.add(s, n, false));
    baseline.forEach((s, n) -> g.add(s, n, true));
    return g;
  }

  private void add(Stack s, long n, boolean asBase) {
    Node at = root;
    bump(at, n, asBase);
    int depth = Math.min(s.frames.length, MAX_DEPTH);
    for (int i = 0; i < depth; i++) {
      String f = s.frames[i];
      Kind k = i == 0 ? Kind.COMMAND : f.equals(ProfileHistory.LOST_USER) || f.equals(ProfileHistory.LOST_KERNEL) ? Kind.LOST
          : s.isKernel(i) ? Kind.KERNEL : Kind.USER;
      at = at.child(f, k);
      bump(at, n, asBase);
    }
  }

  private void bump(Node node, long n, boolean asBase) {
    if (asBase) {
      node.base += n;
      if (node == root) {
        baseTotal += n;
      }
    } else {
      node.value += n;
      if (node == root) {
        total += n;
      }
    }
  }

  long total() {
    return total;
  }

  long baseTotal() {
    return baseTotal;
  }

  /** The frames along {@code path} (names from the command down), or null when the path is not in the graph. */
  List<Node> pathTo(List<String> path) {
    List<Node> chain = new ArrayList<>();
    chain.add(root);
    Node at = root;
    for (String name : path) {
      Node next = null;
      for (Node c : at.children.values()) {
        if (c.name.equals(name)) {
          next = c;
          break;
        }
      }
      if (next == null) {
        return null;
      }
      chain.add(next);
      at = next;
    }
    return chain;
  }

  /** The SVG; {@code focus} (names from the command down, may be empty) is drawn full width. */
  String svg(String title, List<String> focus) {
    List<Node> chain = focus.isEmpty() ? null : pathTo(focus);
    if (chain == null) {
      chain = List.of(root);
    }
    Node top = chain.get(chain.size() - 1);
    int depth = chain.size() - 1 + depthBelow(top);
    int height = (depth + 1) * FRAME_HEIGHT + 40;
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flamegraph\" width=\"").append(WIDTH)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
        .append("\" font-family=\"monospace\" font-size=\"12\" data-total=\"").append(total).append("\">\n");
    b.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\" fill=\"#fafafa\"/>\n");
    b.append("<text x=\"").append(WIDTH / 2).append("\" y=\"20\" text-anchor=\"middle\" font-size=\"15\">").append(xml(title)).append("</text>\n");
    double scale = top.value == 0 ? 0 : WIDTH / (double) top.value;
    // Ancestors of the focus: full width, at the bottom.
    List<String> path = new ArrayList<>();
    for (int i = 0; i < chain.size() - 1; i++) {
      Node n = chain.get(i);
      if (n != root) {
        path.add(n.name);
      }
      frame(b, n, 0, WIDTH, height - (i + 1) * FRAME_HEIGHT, path, true);
    }
    draw(b, top, 0, scale, height - chain.size() * FRAME_HEIGHT, path);
    b.append("</svg>\n");
    return b.toString();
  }

  private int depthBelow(Node n) {
    int d = 0;
    for (Node c : n.children.values()) {
      d = Math.max(d, 1 + depthBelow(c));
    }
    return d;
  }

  private void draw(StringBuilder b, Node n, double x, double scale, int y, List<String> parentPath) {
    double w = n.value * scale;
    if (w < MIN_WIDTH) {
      return;
    }
    List<String> path = parentPath;
    if (n != root) {
      path = new ArrayList<>(parentPath);
      path.add(n.name);
    }
    frame(b, n, x, w, y, path, false);
    double cx = x;
    List<Node> kids = new ArrayList<>(n.children.values());
    kids.sort(Comparator.comparing((Node c) -> c.name).thenComparing(c -> c.kind));
    for (Node c : kids) {
      if (c.value == 0) {
        continue; // only in the baseline: no width in the selection
      }
      draw(b, c, cx, scale, y - FRAME_HEIGHT, path);
      cx += c.value * scale;
    }
  }

  private void frame(StringBuilder b, Node n, double x, double w, int y, List<String> path, boolean ancestor) {
    String cls = switch (n.kind) {
      case ROOT -> "root";
      case COMMAND -> "c";
      case USER -> "u";
      case KERNEL -> "k";
      case LOST -> "l";
    };
    double pct = total == 0 ? 0 : 100.0 * n.value / total;
    String label = n.name + " (" + n.value + " samples, " + fmt(pct) + "%" + diffLabel(n) + ")";
    b.append("<g class=\"f ").append(cls).append(ancestor ? " anc" : "").append("\" data-name=\"").append(xml(n.name))
        .append("\" data-path=\"").append(xml(String.join(";", path))).append("\" data-value=\"").append(n.value).append("\">");
    b.append("<title>").append(xml(label)).append("</title>");
    b.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(y).append("\" width=\"").append(fmt(Math.max(w - 0.5, 0.1)))
        .append("\" height=\"").append(FRAME_HEIGHT - 1).append("\" rx=\"2\" fill=\"").append(colour(n, ancestor)).append("\"/>");
    int chars = (int) ((w - 6) / CHAR_WIDTH);
    if (chars >= 3) {
      String text = n.name.length() <= chars ? n.name : n.name.substring(0, chars - 2) + "..";
      b.append("<text x=\"").append(fmt(x + 3)).append("\" y=\"").append(y + FRAME_HEIGHT - 5).append("\">").append(xml(text)).append("</text>");
    }
    b.append("</g>\n");
  }

  private String diffLabel(Node n) {
    if (!differential) {
      return "";
    }
    return String.format(Locale.ROOT, ", baseline %d samples, share %+.2f points", n.base, change(n) * 100);
  }

  /** How this frame's share of all samples moved from the baseline to the selection (-1..1). */
  private double change(Node n) {
    double now = total == 0 ? 0 : (double) n.value / total;
    double before = baseTotal == 0 ? 0 : (double) n.base / baseTotal;
    return now - before;
  }

  private String colour(Node n, boolean ancestor) {
    if (ancestor) {
      return "#d8d8d8";
    }
    if (differential && n.kind != Kind.ROOT) {
      double c = change(n);
      // Saturates at a 10-point move of the frame's share; an unchanged frame is near white.
      double v = Math.min(1.0, Math.abs(c) / 0.10);
      int fade = (int) Math.round(255 - 200 * v);
      if (n.base == 0 && baseTotal > 0) {
        return "rgb(255,60,60)"; // new in the selection
      }
      return c >= 0 ? "rgb(255," + fade + "," + fade + ")" : "rgb(" + fade + "," + fade + ",255)";
    }
    int h = Math.floorMod(n.name.hashCode(), 1000);
    return switch (n.kind) {
      case ROOT -> "rgb(200,200,200)";
      case COMMAND -> "rgb(" + (170 + h % 30) + "," + (160 + h % 30) + ",210)";
      case USER -> "rgb(" + (220 + h % 35) + "," + (90 + h % 130) + ",40)";
      case KERNEL -> "rgb(" + (60 + h % 50) + "," + (150 + h % 60) + "," + (200 + h % 50) + ")";
      case LOST -> "rgb(170,170,170)";
    };
  }

  /** Two-column folded text of a differential graph (difffolded.pl: stack, baseline, selection). */
  static String foldedDiff(Map<Stack, Long> samples, Map<Stack, Long> baseline) {
    Map<String, long[]> rows = new java.util.TreeMap<>();
    baseline.forEach((s, n) -> rows.computeIfAbsent(s.folded(), k -> new long[2])[0] += n);
    samples.forEach((s, n) -> rows.computeIfAbsent(s.folded(), k -> new long[2])[1] += n);
    StringBuilder b = new StringBuilder();
    rows.forEach((k, v) -> b.append(k).append(' ').append(v[0]).append(' ').append(v[1]).append('\n'));
    return b.toString();
  }

  static String folded(Map<Stack, Long> samples) {
    Map<String, Long> rows = new java.util.TreeMap<>();
    samples.forEach((s, n) -> rows.merge(s.folded(), n, Long::sum));
    StringBuilder b = new StringBuilder();
    rows.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
    return b.toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String xml(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\t') {
            b.append('?'); // not allowed in XML 1.0
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}

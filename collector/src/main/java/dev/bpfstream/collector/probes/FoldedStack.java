package dev.bpfstream.collector.probes;

import java.util.List;

/** One stack as flamegraph.pl reads it: "comm;outermost;...;innermost", user frames above kernel ones. */
final class FoldedStack {
  static final String LOST_USER = "[lost user stack]";
  static final String LOST_KERNEL = "[lost kernel stack]";

  private FoldedStack() {
  }

  /** {@code user} and {@code kernel} innermost first, as sampled. ';' inside a name would split it: replaced. */
  static String of(String comm, List<String> user, boolean userLost, List<String> kernel, boolean kernelLost) {
    StringBuilder sb = new StringBuilder(clean(comm));
    if (userLost) {
      sb.append(';').append(LOST_USER);
    }
    for (int i = user.size() - 1; i >= 0; i--) {
      sb.append(';').append(clean(user.get(i)));
    }
    if (kernelLost) {
      sb.append(';').append(LOST_KERNEL);
    }
    for (int i = kernel.size() - 1; i >= 0; i--) {
      sb.append(';').append(clean(kernel.get(i)));
    }
    return sb.toString();
  }

  private static String clean(String frame) {
    return frame.indexOf(';') < 0 ? frame : frame.replace(';', ':');
  }
}

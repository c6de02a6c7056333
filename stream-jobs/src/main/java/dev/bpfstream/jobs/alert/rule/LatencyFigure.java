package dev.bpfstream.jobs.alert.rule;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.bpfstream.event.LatencySummary;

/** The figures of a latency summary a rule can name; all but count are nanoseconds. */
public enum LatencyFigure {
  P50, P90, P99, P999, MAX, MEAN, COUNT;

  public static LatencyFigure parse(String word) {
    for (LatencyFigure f : values()) {
      if (f.word().equals(word)) {
        return f;
      }
    }
    return null;
  }

  public static String words() {
    return Arrays.stream(values()).map(LatencyFigure::word).collect(Collectors.joining(", "));
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isDuration() {
    return this != COUNT;
  }

  public double of(LatencySummary s) {
    return switch (this) {
      case P50 -> s.getP50Ns();
      case P90 -> s.getP90Ns();
      case P99 -> s.getP99Ns();
      case P999 -> s.getP999Ns();
      case MAX -> s.getMaxNs();
      case MEAN -> s.getMeanNs();
      case COUNT -> s.getCount();
    };
  }
}

package dev.bpfstream.jobs.latency;

import dev.bpfstream.event.LatencyKind;

/**
 * What one sketch of a window covers: a latency kind split by a dimension (device, namespace,
 * container, op, or all).
 */
public record SketchKey(LatencyKind kind, String dimension, String value) {
  public static final String ALL = "all";

  public static SketchKey all(LatencyKind kind) {
    return new SketchKey(kind, ALL, ALL);
  }
}

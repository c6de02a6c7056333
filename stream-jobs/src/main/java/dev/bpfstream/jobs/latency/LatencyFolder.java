package dev.bpfstream.jobs.latency;

import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.jobs.sketch.LatencySketch;
import dev.bpfstream.jobs.window.PartialFolder;

/**
 * Puts each latency into the sketches it belongs to: per host by device (block I/O), namespace
 * (run queue), op (file ops), by container where the task was in one, and "all".
 */
public final class LatencyFolder implements PartialFolder<LatencyObservation, LatencyAccumulator> {
  private static final long serialVersionUID = 1L;
  public static final String DEVICE = "device";
  public static final String NAMESPACE = "namespace";
  public static final String CONTAINER = "container";
  public static final String OP = "op";

  @Override
  public LatencyAccumulator newPartial(String hostId, String hostname, long windowStartMs, long windowSizeMs) {
    return new LatencyAccumulator(hostId, hostname, windowStartMs, windowSizeMs);
  }

  @Override
  public void addLoss(LatencyAccumulator partial, long lost) {
    partial.addLoss(lost);
  }

  @Override
  public void fold(LatencyObservation o, LatencyAccumulator acc) {
    acc.countEvent();
    switch (o.kind) {
      case BLOCK_IO, BLOCK_QUEUE -> {
        if (o.buckets != null) {
          add(acc, o, o.kind, DEVICE, o.device, false);
        } else {
          add(acc, o, LatencyKind.BLOCK_IO, DEVICE, o.device, true);
          if (o.queueNs >= 0) {
            addValue(acc, o, LatencyKind.BLOCK_QUEUE, DEVICE, o.device, o.queueNs, true);
          }
        }
      }
      case RUNQ -> add(acc, o, LatencyKind.RUNQ, NAMESPACE, "pid:" + o.pidNs, true);
      case FILE_OP -> add(acc, o, LatencyKind.FILE_OP, OP, o.op, true);
      case TCP_CONNECT -> add(acc, o, LatencyKind.TCP_CONNECT, null, null, true);
      default -> throw new IllegalArgumentException("no latency kind " + o.kind);
    }
  }

  private static void add(LatencyAccumulator acc, LatencyObservation o, LatencyKind kind, String dimension, String value,
                          boolean byContainer) {
    addValue(acc, o, kind, dimension, value, o.valueNs, byContainer);
  }

  private static void addValue(LatencyAccumulator acc, LatencyObservation o, LatencyKind kind, String dimension, String value,
                               long valueNs, boolean byContainer) {
    into(acc.sketch(kind, SketchKey.ALL, SketchKey.ALL), o, valueNs);
    if (dimension != null && value != null) {
      into(acc.sketch(kind, dimension, value), o, valueNs);
    }
    if (byContainer && o.containerId != null) {
      into(acc.sketch(kind, CONTAINER, o.containerId), o, valueNs);
    }
  }

  private static void into(LatencySketch s, LatencyObservation o, long valueNs) {
    if (o.buckets != null) {
      s.recordLog2(o.buckets, o.histogramSumNs);
    } else {
      s.record(valueNs);
    }
  }
}

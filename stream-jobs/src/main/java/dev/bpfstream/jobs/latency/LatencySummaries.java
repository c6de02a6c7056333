package dev.bpfstream.jobs.latency;

import java.util.Map;

import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.Scope;
import dev.bpfstream.jobs.sketch.LatencySketch;
import dev.bpfstream.jobs.window.WindowPartial;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** One {@link LatencySummary} per sketch of a closed window. */
public final class LatencySummaries implements FlatMapFunction<LatencyAccumulator, LatencySummary> {
  private static final long serialVersionUID = 1L;

  @Override
  public void flatMap(LatencyAccumulator acc, Collector<LatencySummary> out) {
    boolean fleet = WindowPartial.FLEET.equals(acc.hostId());
    for (Map.Entry<SketchKey, LatencySketch> e : acc.sketches().entrySet()) {
      out.collect(summary(acc, e.getKey(), e.getValue(), fleet));
    }
  }

  static LatencySummary summary(LatencyAccumulator acc, SketchKey k, LatencySketch s, boolean fleet) {
    Scope scope = fleet ? Scope.FLEET
        : k.dimension().equals(LatencyFolder.CONTAINER) ? Scope.CONTAINER
        : k.dimension().equals(LatencyFolder.NAMESPACE) ? Scope.NAMESPACE
        : Scope.HOST;
    return LatencySummary.newBuilder()
        .setWindowStartNs(acc.windowStartMs() * 1_000_000L)
        .setWindowEndNs((acc.windowStartMs() + acc.windowSizeMs()) * 1_000_000L)
        .setKind(k.kind())
        .setScope(scope)
        .setHostId(fleet ? null : acc.hostId())
        .setHostname(fleet ? null : acc.hostname())
        .setDimension(k.dimension())
        .setDimensionValue(k.value())
        .setCount(s.count())
        .setP50Ns(s.percentileNs(50))
        .setP90Ns(s.percentileNs(90))
        .setP99Ns(s.percentileNs(99))
        .setP999Ns(s.percentileNs(99.9))
        .setMaxNs(s.maxNs())
        .setMeanNs(s.meanNs())
        .setRelativeError(s.relativeError())
        .setHistogram(s.toLog2Histogram())
        .setLostEvents(acc.lostEvents())
        .build();
  }

  /** Kafka key: scope/host/kind/dimension=value. */
  public static String key(LatencySummary s) {
    return s.getScope() + "/" + (s.getHostId() == null ? WindowPartial.FLEET : s.getHostId()) + "/" + s.getKind()
        + "/" + s.getDimension() + "=" + s.getDimensionValue();
  }
}

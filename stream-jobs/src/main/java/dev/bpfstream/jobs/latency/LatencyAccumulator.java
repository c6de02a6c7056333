package dev.bpfstream.jobs.latency;

import java.util.HashMap;
import java.util.Map;

import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.jobs.sketch.LatencySketch;
import dev.bpfstream.jobs.typeinfo.SerializerTypeInfo;
import dev.bpfstream.jobs.window.WindowPartial;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** The latency sketches of one host (or the fleet) in one window, by kind and dimension. */
@TypeInfo(LatencyAccumulator.Factory.class)
public final class LatencyAccumulator implements WindowPartial<LatencyAccumulator> {
  String hostId;
  String hostname;
  long windowStartMs;
  long windowSizeMs;
  long lostEvents;
  long eventCount;
  final Map<SketchKey, LatencySketch> sketches = new HashMap<>();
  private transient java.util.ArrayDeque<LatencySketch> spare;
  /** Lookup by kind and dimension then value, without building a key per event; mirrors {@link #sketches}. */
  private transient Map<String, Map<String, LatencySketch>>[] index;

  public LatencyAccumulator(String hostId, String hostname, long windowStartMs, long windowSizeMs) {
    this.hostId = hostId;
    this.hostname = hostname;
    this.windowStartMs = windowStartMs;
    this.windowSizeMs = windowSizeMs;
  }

  public static TypeInformation<LatencyAccumulator> typeInfo() {
    return new SerializerTypeInfo<>(LatencyAccumulator.class, LatencyAccumulatorSerializer.INSTANCE);
  }

  public LatencySketch sketch(SketchKey key) {
    LatencySketch s = sketches.get(key);
    if (s == null) {
      s = spare == null || spare.isEmpty() ? new LatencySketch() : spare.poll();
      sketches.put(key, s);
    }
    return s;
  }

  public LatencySketch sketch(LatencyKind kind, String dimension, String value) {
    if (index == null) {
      buildIndex();
    }
    Map<String, Map<String, LatencySketch>> byDimension = index[kind.ordinal()];
    Map<String, LatencySketch> byValue = byDimension.get(dimension);
    if (byValue == null) {
      byValue = new HashMap<>();
      byDimension.put(dimension, byValue);
    }
    LatencySketch s = byValue.get(value);
    if (s == null) {
      s = sketch(new SketchKey(kind, dimension, value));
      byValue.put(value, s);
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private void buildIndex() {
    index = new Map[LatencyKind.values().length];
    for (int i = 0; i < index.length; i++) {
      index[i] = new HashMap<>();
    }
    sketches.forEach((k, s) -> index[k.kind().ordinal()].computeIfAbsent(k.dimension(), d -> new HashMap<>()).put(k.value(), s));
  }

  public Map<SketchKey, LatencySketch> sketches() {
    return sketches;
  }

  void countEvent() {
    eventCount++;
  }

  void addLoss(long lost) {
    lostEvents += lost;
  }

  /** The fleet-wide share of this host's window: its "all" sketches, copied. */
  public LatencyAccumulator toFleet() {
    LatencyAccumulator f = new LatencyAccumulator(FLEET, null, windowStartMs, windowSizeMs);
    f.lostEvents = lostEvents;
    f.eventCount = eventCount;
    sketches.forEach((k, s) -> {
      if (k.dimension().equals(SketchKey.ALL)) {
        f.sketches.put(k, s.copy());
      }
    });
    return f;
  }

  public LatencyAccumulator copy() {
    LatencyAccumulator c = new LatencyAccumulator(hostId, hostname, windowStartMs, windowSizeMs);
    c.lostEvents = lostEvents;
    c.eventCount = eventCount;
    sketches.forEach((k, s) -> c.sketches.put(k, s.copy()));
    return c;
  }

  @Override
  public String hostId() {
    return hostId;
  }

  public String hostname() {
    return hostname;
  }

  @Override
  public long windowStartMs() {
    return windowStartMs;
  }

  @Override
  public long windowSizeMs() {
    return windowSizeMs;
  }

  @Override
  public void rewindow(long startMs, long sizeMs) {
    windowStartMs = startMs;
    windowSizeMs = sizeMs;
  }

  @Override
  public void merge(LatencyAccumulator other) {
    if (hostname == null) {
      hostname = other.hostname;
    }
    lostEvents += other.lostEvents;
    eventCount += other.eventCount;
    index = null;
    other.sketches.forEach((k, s) -> {
      LatencySketch mine = sketches.get(k);
      if (mine == null) {
        sketches.put(k, s);
      } else {
        mine.merge(s);
      }
    });
  }

  @Override
  public boolean recycle() {
    if (spare == null) {
      spare = new java.util.ArrayDeque<>();
    }
    for (LatencySketch s : sketches.values()) {
      s.reset();
      spare.add(s);
    }
    sketches.clear();
    index = null;
    lostEvents = 0;
    eventCount = 0;
    return true;
  }

  @Override
  public void reopen(String hostId, String hostname, long windowStartMs, long windowSizeMs) {
    this.hostId = hostId;
    this.hostname = hostname;
    this.windowStartMs = windowStartMs;
    this.windowSizeMs = windowSizeMs;
  }

  @Override
  public long lostEvents() {
    return lostEvents;
  }

  @Override
  public long eventCount() {
    return eventCount;
  }

  public static final class Factory extends TypeInfoFactory<LatencyAccumulator> {
    @Override
    public TypeInformation<LatencyAccumulator> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> params) {
      return typeInfo();
    }
  }
}

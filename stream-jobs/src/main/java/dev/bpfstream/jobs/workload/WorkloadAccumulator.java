package dev.bpfstream.jobs.workload;

import java.util.HashMap;
import java.util.Map;

import dev.bpfstream.jobs.typeinfo.SerializerTypeInfo;
import dev.bpfstream.jobs.window.WindowPartial;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Workload counts of one host in one window, for the host and for each container (or pid namespace
 * of tasks outside containers) on it; or, with host id {@link #FLEET}, of the whole fleet.
 */
@TypeInfo(WorkloadAccumulator.Factory.class)
public final class WorkloadAccumulator implements WindowPartial<WorkloadAccumulator> {
  public static final String CONTAINER_PREFIX = "container:";
  public static final String NAMESPACE_PREFIX = "namespace:pid:";

  String hostId;
  String hostname;
  long windowStartMs;
  long windowSizeMs;
  long lostEvents;
  long eventCount;
  ScopeCounts total = new ScopeCounts();
  /** Per container ("container:ID") or pid namespace ("namespace:pid:INODE"). */
  final Map<String, ScopeCounts> groups = new HashMap<>();

  private transient String lastContainer;
  private transient long lastPidNs;
  private transient ScopeCounts lastGroup;

  public WorkloadAccumulator(String hostId, String hostname, long windowStartMs, long windowSizeMs) {
    this.hostId = hostId;
    this.hostname = hostname;
    this.windowStartMs = windowStartMs;
    this.windowSizeMs = windowSizeMs;
  }

  public static TypeInformation<WorkloadAccumulator> typeInfo() {
    return new SerializerTypeInfo<>(WorkloadAccumulator.class, WorkloadAccumulatorSerializer.INSTANCE);
  }

  void add(WorkloadObservation o) {
    eventCount++;
    String processKey = o.comm + "/" + o.pid;
    String userKey = Long.toString(o.uid);
    total.add(o, processKey, userKey);
    group(o).add(o, processKey, userKey);
  }

  private ScopeCounts group(WorkloadObservation o) {
    if (lastGroup != null && (o.containerId != null ? o.containerId.equals(lastContainer)
        : lastContainer == null && o.pidNs == lastPidNs)) {
      return lastGroup;
    }
    String key = o.containerId != null ? CONTAINER_PREFIX + o.containerId : NAMESPACE_PREFIX + o.pidNs;
    lastGroup = groups.computeIfAbsent(key, k -> new ScopeCounts());
    lastContainer = o.containerId;
    lastPidNs = o.pidNs;
    return lastGroup;
  }

  void addLoss(long lost) {
    lostEvents += lost;
  }

  public ScopeCounts total() {
    return total;
  }

  public Map<String, ScopeCounts> groups() {
    return groups;
  }

  public String hostname() {
    return hostname;
  }

  /** This host's share of the fleet-wide window: its totals, process keys prefixed with the host. */
  public WorkloadAccumulator toFleet() {
    WorkloadAccumulator f = new WorkloadAccumulator(FLEET, null, windowStartMs, windowSizeMs);
    f.lostEvents = lostEvents;
    f.eventCount = eventCount;
    f.total.merge(total, (hostname == null ? hostId : hostname) + ":");
    return f;
  }

  public WorkloadAccumulator copy() {
    WorkloadAccumulator c = new WorkloadAccumulator(hostId, hostname, windowStartMs, windowSizeMs);
    c.lostEvents = lostEvents;
    c.eventCount = eventCount;
    c.total = total.copy();
    groups.forEach((k, g) -> c.groups.put(k, g.copy()));
    return c;
  }

  @Override
  public String hostId() {
    return hostId;
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
  public void merge(WorkloadAccumulator other) {
    if (hostname == null) {
      hostname = other.hostname;
    }
    lostEvents += other.lostEvents;
    eventCount += other.eventCount;
    total.merge(other.total, null);
    other.groups.forEach((k, g) -> {
      ScopeCounts mine = groups.get(k);
      if (mine == null) {
        groups.put(k, g);
      } else {
        mine.merge(g, null);
      }
    });
    lastGroup = null;
  }

  @Override
  public long lostEvents() {
    return lostEvents;
  }

  @Override
  public long eventCount() {
    return eventCount;
  }

  public static final class Factory extends TypeInfoFactory<WorkloadAccumulator> {
    @Override
    public TypeInformation<WorkloadAccumulator> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> params) {
      return typeInfo();
    }
  }
}

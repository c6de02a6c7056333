package dev.bpfstream.collector.probe;

import static dev.bpfstream.collector.probe.RecordLayout.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;

import dev.bpfstream.collector.enrich.BootClock;
import dev.bpfstream.collector.enrich.HostIdentity;
import dev.bpfstream.event.Namespaces;
import dev.bpfstream.event.TaskContext;

/** Reads a kernel task_ctx into a reused TaskContext, adding host, epoch time and container id. */
public final class TaskContextReader {
  private final HostIdentity host;
  private final BootClock clock;
  private final LongFunction<String> containerOfCgroup;
  private final byte[] comm = new byte[COMM_LEN];
  private long lastCgroup = -1;
  private String lastContainer;
  private String lastComm;

  public TaskContextReader(HostIdentity host, BootClock clock, LongFunction<String> containerOfCgroup) {
    this.host = host;
    this.clock = clock;
    this.containerOfCgroup = containerOfCgroup;
  }

  /** A fresh TaskContext (with its Namespaces) to be refilled by {@link #read}. */
  public static TaskContext newContext() {
    TaskContext c = new TaskContext();
    c.setNs(new Namespaces(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L));
    c.setComm("");
    return c;
  }

  /** Fills {@code into} from the task_ctx at {@code at}; returns the kernel boot timestamp. */
  public long read(ByteBuffer b, int at, TaskContext into) {
    long bootNs = b.getLong(at + CTX_BOOT_NS);
    into.setHostId(host.hostId());
    into.setHostname(host.hostname());
    into.setTimeNs(clock.toEpochNs(bootNs));
    into.setSeq(b.getLong(at + CTX_SEQ));
    long cgroup = b.getLong(at + CTX_CGROUP_ID);
    into.setCgroupId(cgroup);
    into.setPid(b.getInt(at + CTX_PID));
    into.setTid(b.getInt(at + CTX_TID));
    into.setPpid(b.getInt(at + CTX_PPID));
    into.setUid(Integer.toUnsignedLong(b.getInt(at + CTX_UID)));
    into.setGid(Integer.toUnsignedLong(b.getInt(at + CTX_GID)));
    into.setCpu(b.getInt(at + CTX_CPU));
    Namespaces ns = into.getNs();
    int n = at + CTX_NS;
    ns.setMnt(Integer.toUnsignedLong(b.getInt(n)));
    ns.setUts(Integer.toUnsignedLong(b.getInt(n + 4)));
    ns.setIpc(Integer.toUnsignedLong(b.getInt(n + 8)));
    ns.setPid(Integer.toUnsignedLong(b.getInt(n + 12)));
    ns.setNet(Integer.toUnsignedLong(b.getInt(n + 16)));
    ns.setUser(Integer.toUnsignedLong(b.getInt(n + 20)));
    ns.setCgroup(Integer.toUnsignedLong(b.getInt(n + 24)));
    ns.setTime(Integer.toUnsignedLong(b.getInt(n + 28)));
    into.setComm(comm(b, at + CTX_COMM));
    // Consecutive events mostly come from the same cgroup: skip the map lookup then.
    if (cgroup != lastCgroup) {
      lastCgroup = cgroup;
      lastContainer = containerOfCgroup.apply(cgroup);
    }
    into.setContainerId(lastContainer);
    return bootNs;
  }

  /** The comm, reusing the last String while the bytes repeat (a burst mostly comes from one task). */
  private String comm(ByteBuffer b, int at) {
    boolean same = lastComm != null;
    for (int i = 0; same && i < COMM_LEN; i++) {
      byte c = b.get(at + i);
      same = c == comm[i];
      if (c == 0) {
        break;
      }
    }
    if (same) {
      return lastComm;
    }
    java.util.Arrays.fill(comm, (byte) 0);
    int len = 0;
    while (len < COMM_LEN && b.get(at + len) != 0) {
      comm[len] = b.get(at + len);
      len++;
    }
    lastComm = new String(comm, 0, len, StandardCharsets.UTF_8);
    return lastComm;
  }

  /** Reads a NUL-terminated string of at most {@code max} bytes. */
  public static String cString(ByteBuffer b, int at, int max, byte[] scratch) {
    int len = 0;
    while (len < max && b.get(at + len) != 0) {
      len++;
    }
    byte[] bytes = scratch.length >= len ? scratch : new byte[len];
    b.get(at, bytes, 0, len);
    return new String(bytes, 0, len, StandardCharsets.UTF_8);
  }

  /** The container id of a cgroup (null when none): for records that carry a cgroup, not a task. */
  public String containerOf(long cgroupId) {
    return containerOfCgroup.apply(cgroupId);
  }

  public BootClock clock() {
    return clock;
  }

  public HostIdentity host() {
    return host;
  }
}

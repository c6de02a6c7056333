package dev.bpfstream.jobs.source;

import dev.bpfstream.jobs.wire.AvroCursor;
import dev.bpfstream.jobs.wire.InternedStrings;

/**
 * The fields of a {@code TaskContext} the jobs use, read from its bytes in the layout of this
 * release's schema (hostId, hostname, timeNs, cpu, pid, tid, ppid, uid, gid, comm, cgroupId,
 * containerId, ns: eight inodes, seq); the strings interned.
 */
public final class TaskFields {
  public String hostId;
  public String hostname;
  public long timeNs;
  public int pid;
  public long uid;
  public String comm;
  public String containerId;
  public long pidNs;

  public void read(AvroCursor c, InternedStrings strings) {
    hostId = c.readString(strings);
    hostname = c.readString(strings);
    timeNs = c.readLong();
    c.readInt();
    pid = c.readInt();
    c.readInt();
    c.readInt();
    uid = c.readLong();
    c.readLong();
    comm = c.readString(strings);
    c.readLong();
    containerId = c.readIndex(2) == 0 ? null : c.readString(strings);
    c.skipLongs(3);
    pidNs = c.readLong();
    c.skipLongs(4);
    c.readLong();
  }
}

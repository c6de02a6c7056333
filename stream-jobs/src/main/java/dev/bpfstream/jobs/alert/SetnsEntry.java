package dev.bpfstream.jobs.alert;

import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.event.NamespaceTransition;
import dev.bpfstream.event.TaskContext;

/** One existing namespace a task entered with setns, with who entered it. A Flink POJO (kept while its owner is unknown). */
public class SetnsEntry {
  public String hostId;
  public String hostname;
  public long timeNs;
  public int pid;
  public int ppid;
  public long uid;
  public String comm;
  /** Caller's container id, "-" for the host. */
  public String caller;
  /** Namespace kind, lower case, and inode entered. */
  public String kind;
  public long inode;
  /** Processing time after which an owner still unknown is given up on. */
  public long deadlineMs;

  public SetnsEntry() {
  }

  static SetnsEntry of(NamespaceChange c, NamespaceTransition n) {
    TaskContext t = c.getCtx();
    SetnsEntry e = new SetnsEntry();
    e.hostId = t.getHostId();
    e.hostname = t.getHostname();
    e.timeNs = t.getTimeNs();
    e.pid = t.getPid();
    e.ppid = t.getPpid();
    e.uid = t.getUid();
    e.comm = t.getComm();
    e.caller = Subjects.containerKey(t.getContainerId());
    e.kind = n.getKind().name();
    e.inode = n.getAfter();
    return e;
  }

  String ownerKey() {
    return kind + ":" + inode;
  }

  String namespace() {
    return kind.toLowerCase(java.util.Locale.ROOT) + ":" + inode;
  }

  String task() {
    return "pid " + pid + " (" + comm + ") uid " + uid;
  }
}

package dev.bpfstream.jobs.alert;

import dev.bpfstream.event.TaskContext;

/** How alerts name hosts, containers and tasks, in keys and in text. */
final class Subjects {
  private Subjects() {
  }

  static String host(String hostId, String hostname) {
    if (hostname != null && !hostname.isEmpty()) {
      return hostname;
    }
    return hostId == null ? "?" : hostId;
  }

  /** A container id as people read it (12 characters), or "the host" when there is none. */
  static String container(String containerId) {
    if (containerId == null || containerId.isEmpty()) {
      return "the host";
    }
    return "container " + (containerId.length() > 12 ? containerId.substring(0, 12) : containerId);
  }

  static String containerKey(String containerId) {
    return containerId == null || containerId.isEmpty() ? "-" : containerId;
  }

  static String task(TaskContext c) {
    return "pid " + c.getPid() + " (" + c.getComm() + ") uid " + c.getUid();
  }

  static String pidNamespace(TaskContext c) {
    return "pid:" + c.getNs().getPid();
  }
}

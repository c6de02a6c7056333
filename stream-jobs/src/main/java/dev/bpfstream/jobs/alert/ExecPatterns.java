package dev.bpfstream.jobs.alert;

import java.util.List;

import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.TaskContext;
import dev.bpfstream.jobs.alert.rule.PatternRule;
import dev.bpfstream.jobs.alert.rule.PatternSpec;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Exec patterns: exec from a world-writable directory, exec of a setuid-root file. */
public final class ExecPatterns implements FlatMapFunction<ProcessExec, Observation> {
  private static final long serialVersionUID = 1L;
  static final int S_ISUID = 04000;
  static final int S_ISVTX = 01000;
  static final int S_IWOTH = 00002;

  private final List<PatternRule> rules;

  public ExecPatterns(List<PatternRule> rules) {
    this.rules = List.copyOf(rules);
  }

  @Override
  public void flatMap(ProcessExec e, Collector<Observation> out) {
    if (e.getRetval() != 0) {
      return;
    }
    for (PatternRule r : rules) {
      if (r.spec() instanceof PatternSpec.ExecFromWorldWritableDir w) {
        if (fromWorldWritableDir(w, e)) {
          out.collect(worldWritable(r, e));
        }
      } else if (r.spec() instanceof PatternSpec.SetuidRootExec s) {
        if (setuidRoot(s, e)) {
          out.collect(setuid(r, e));
        }
      }
    }
  }

  static boolean fromWorldWritableDir(PatternSpec.ExecFromWorldWritableDir w, ProcessExec e) {
    int dir = e.getDirMode();
    if (dir == 0 || (dir & S_IWOTH) == 0) {
      return false;
    }
    if (w.ignoreSticky() && (dir & S_ISVTX) != 0) {
      return false;
    }
    return w.allowPrefixes().stream().noneMatch(p -> e.getFilename().startsWith(p));
  }

  static boolean setuidRoot(PatternSpec.SetuidRootExec s, ProcessExec e) {
    if ((e.getFileMode() & S_ISUID) == 0 || e.getFileUid() != 0) {
      return false;
    }
    if (s.unprivilegedCallersOnly() && e.getCtx().getUid() == 0) {
      return false;
    }
    return !s.allow().contains(e.getFilename());
  }

  private static Observation worldWritable(PatternRule r, ProcessExec e) {
    TaskContext c = e.getCtx();
    String dir = directory(e.getFilename());
    Observation o = Observation.event(r.id(), "host=" + c.getHostId() + "/container=" + Subjects.containerKey(c.getContainerId())
            + "/dir=" + dir, true, c.getTimeNs())
        .where(c.getHostId(), c.getHostname(), c.getContainerId(), Subjects.pidNamespace(c),
            dir + " in " + Subjects.container(c.getContainerId()) + " on host " + Subjects.host(c.getHostId(), c.getHostname()));
    o.figure = "exec";
    o.message = prefix(r) + Subjects.task(c) + " executed " + e.getFilename() + " from world-writable " + dir
        + " (mode " + Integer.toOctalString(e.getDirMode() & 07777) + ") in " + Subjects.container(c.getContainerId())
        + " on host " + Subjects.host(c.getHostId(), c.getHostname());
    o.evidence = new String[] {
        Subjects.task(c) + " ppid " + c.getPpid() + ": " + String.join(" ", e.getArgv()),
        "file " + e.getFilename() + " mode " + Integer.toOctalString(e.getFileMode() & 07777) + " owner uid " + e.getFileUid()};
    return o;
  }

  private static Observation setuid(PatternRule r, ProcessExec e) {
    TaskContext c = e.getCtx();
    Observation o = Observation.event(r.id(), "host=" + c.getHostId() + "/container=" + Subjects.containerKey(c.getContainerId())
            + "/file=" + e.getFilename(), true, c.getTimeNs())
        .where(c.getHostId(), c.getHostname(), c.getContainerId(), Subjects.pidNamespace(c),
            e.getFilename() + " in " + Subjects.container(c.getContainerId()) + " on host " + Subjects.host(c.getHostId(), c.getHostname()));
    o.figure = "exec";
    o.message = prefix(r) + Subjects.task(c) + " executed setuid-root " + e.getFilename() + " in "
        + Subjects.container(c.getContainerId()) + " on host " + Subjects.host(c.getHostId(), c.getHostname());
    o.evidence = new String[] {
        Subjects.task(c) + " ppid " + c.getPpid() + ": " + String.join(" ", e.getArgv()),
        "file mode " + Integer.toOctalString(e.getFileMode() & 07777) + " owner uid " + e.getFileUid()};
    return o;
  }

  static String directory(String filename) {
    int slash = filename.lastIndexOf('/');
    if (slash < 0) {
      return ".";
    }
    return slash == 0 ? "/" : filename.substring(0, slash);
  }

  static String prefix(PatternRule r) {
    return r.description().isEmpty() ? "" : r.description() + ": ";
  }
}

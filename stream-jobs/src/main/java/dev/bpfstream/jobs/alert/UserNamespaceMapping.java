package dev.bpfstream.jobs.alert;

import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.event.IdMapEntry;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.jobs.alert.rule.PatternRule;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * A user namespace whose uid 0 maps to a non-root uid outside: an unprivileged user holding root
 * capabilities inside it (what {@code unshare -U -r} does). The alert lasts while the namespace
 * exists: its removal record resolves it.
 */
public final class UserNamespaceMapping implements FlatMapFunction<NamespaceMetadata, Observation> {
  private static final long serialVersionUID = 1L;

  private final List<PatternRule> rules;

  public UserNamespaceMapping(List<PatternRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The outside uid that uid 0 maps to, or -1 when the map does not cover uid 0. */
  static long outsideUidOfRoot(List<IdMapEntry> map) {
    for (IdMapEntry e : map) {
      if (e.getInside() <= 0 && 0 < e.getInside() + e.getCount()) {
        return e.getOutside() - e.getInside();
      }
    }
    return -1;
  }

  @Override
  public void flatMap(NamespaceMetadata m, Collector<Observation> out) {
    if (m.getKind() != NamespaceKind.USER) {
      return;
    }
    long outside = outsideUidOfRoot(m.getUidMap());
    boolean matched = !m.getRemoved() && outside > 0;
    if (!matched && !m.getRemoved()) {
      return;
    }
    for (PatternRule r : rules) {
      Observation o = Observation.event(r.id(), "host=" + m.getHostId() + "/userns=" + m.getInode(), matched, m.getTimeNs())
          .where(m.getHostId(), m.getHostname(), m.getContainerId(), "user:" + m.getInode(),
              "user namespace " + m.getInode() + " on host " + Subjects.host(m.getHostId(), m.getHostname()));
      o.figure = "uid_map";
      o.value = matched ? (double) outside : null;
      o.message = matched
          ? ExecPatterns.prefix(r) + "user namespace " + m.getInode() + " maps uid 0 to uid " + outside + " on host "
              + Subjects.host(m.getHostId(), m.getHostname()) + " (" + Subjects.container(m.getContainerId()) + ")"
          : "user namespace " + m.getInode() + " is gone";
      List<String> e = new ArrayList<>();
      e.add("uid_map: " + render(m.getUidMap()));
      e.add("gid_map: " + render(m.getGidMap()));
      if (m.getSamplePid() > 0) {
        e.add("member pid " + m.getSamplePid() + ", " + m.getMemberCount() + " processes");
      }
      if (m.getOwnerUserNs() != null) {
        e.add("parent user namespace " + m.getOwnerUserNs());
      }
      o.evidence = e.toArray(new String[0]);
      out.collect(o);
    }
  }

  private static String render(List<IdMapEntry> map) {
    if (map.isEmpty()) {
      return "(empty)";
    }
    StringBuilder b = new StringBuilder();
    for (IdMapEntry e : map) {
      if (b.length() > 0) {
        b.append("; ");
      }
      b.append(e.getInside()).append(' ').append(e.getOutside()).append(' ').append(e.getCount());
    }
    return b.toString();
  }
}

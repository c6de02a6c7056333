package dev.bpfstream.jobs.alert.rule;

import java.io.Serializable;
import java.util.List;

import dev.bpfstream.schema.Topic;

/** The event patterns a rule can name, each with its parameters. */
public sealed interface PatternSpec extends Serializable {

  /** The pattern's name in rules files. */
  String name();

  /** The raw topics the pattern reads. */
  List<Topic> topics();

  /** An exec of a file whose directory is writable by everyone (e.g. /tmp, /dev/shm). */
  record ExecFromWorldWritableDir(boolean ignoreSticky, List<String> allowPrefixes) implements PatternSpec {
    public static final String NAME = "exec-from-world-writable-dir";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public List<Topic> topics() {
      return List.of(Topic.EXEC);
    }
  }

  /** An exec of a setuid file owned by root, by default only by a non-root caller. */
  record SetuidRootExec(boolean unprivilegedCallersOnly, List<String> allow) implements PatternSpec {
    public static final String NAME = "setuid-root-exec";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public List<Topic> topics() {
      return List.of(Topic.EXEC);
    }
  }

  /** A user namespace whose uid 0 is a non-root uid outside (unprivileged "root" in a namespace). */
  record UserNamespaceRootMapping() implements PatternSpec {
    public static final String NAME = "userns-root-to-nonroot";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public List<Topic> topics() {
      return List.of(Topic.NS_METADATA);
    }
  }

  /**
   * A successful setns into a namespace that belongs to another container (or to the host, from a
   * container). The namespace's owner comes from ns.metadata; when it is not known yet the entry is
   * counted ({@code setnsTargetUnknown}) and alerts only if {@code alertOnUnknownTarget}.
   */
  record SetnsIntoOtherContainer(boolean alertOnUnknownTarget) implements PatternSpec {
    public static final String NAME = "setns-into-other-container";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public List<Topic> topics() {
      return List.of(Topic.NS_LIFECYCLE, Topic.NS_METADATA);
    }
  }

  /** At least {@code count} processes that lived under {@code maxLifetimeNs} within {@code withinNs}, per host or container. */
  record ShortLivedBurst(BurstScope per, int count, long withinNs, long maxLifetimeNs) implements PatternSpec {
    public static final String NAME = "short-lived-burst";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public List<Topic> topics() {
      return List.of(Topic.EXIT);
    }
  }

  enum BurstScope { HOST, CONTAINER }

  static List<String> names() {
    return List.of(ExecFromWorldWritableDir.NAME, SetuidRootExec.NAME, UserNamespaceRootMapping.NAME,
        SetnsIntoOtherContainer.NAME, ShortLivedBurst.NAME);
  }
}

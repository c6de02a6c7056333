package dev.bpfstream.jobs.workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bpfstream.event.CommandEntry;

/**
 * Events, bytes, CPU samples and processes per command (comm), with the executable path its execs
 * named: thirty short-lived {@code true} processes are one command of thirty processes. A process
 * is a pid on a host: in fleet-wide counts the pid carries its host ({@link #merge}), so merging
 * windows (the rollup) counts a process seen in several of them once. Mergeable and bounded like
 * {@link TopCounter}: past {@code 2 x capacity} commands the smallest are folded into {@link
 * TopCounter#OTHER}; at most {@link #PIDS_KEPT} processes are kept by id, and past them each further
 * exec counts as one more process.
 */
public final class CommandCounter {
  static final int PIDS_KEPT = 4096;

  /** One command's counts. */
  static final class Command {
    String exe = "";
    long events;
    long bytes;
    long samples;
    /** Processes by id: the pid, with its host's hash in the high 32 bits in fleet-wide counts. */
    final Set<Long> processIds = new HashSet<>();
    /** Processes counted without an id: past {@link #PIDS_KEPT}, or folded into {@link TopCounter#OTHER}. */
    long moreProcesses;

    long processes() {
      return processIds.size() + moreProcesses;
    }

    Command copy() {
      Command c = new Command();
      c.exe = exe;
      c.events = events;
      c.bytes = bytes;
      c.samples = samples;
      c.processIds.addAll(processIds);
      c.moreProcesses = moreProcesses;
      return c;
    }
  }

  final Map<String, Command> commands = new HashMap<>();
  final int capacity;
  private int idsKept;

  public CommandCounter() {
    this(TopCounter.DEFAULT_CAPACITY);
  }

  public CommandCounter(int capacity) {
    this.capacity = capacity;
  }

  /** @param exe the executable path of an exec event, else null */
  public void add(String comm, int pid, String exe, long events, long bytes, long samples) {
    Command c = command(comm, exe);
    c.events += events;
    c.bytes += bytes;
    c.samples += samples;
    if (!keep(c, Integer.toUnsignedLong(pid)) && exe != null) {
      c.moreProcesses++;
    }
    if (commands.size() > 2 * capacity) {
      prune();
    }
  }

  /**
   * Adds another counter's commands. {@code host}: null when both count the same host (or are both
   * fleet-wide already), else what names the other counter's host, whose pids become fleet-wide
   * process ids.
   */
  public void merge(CommandCounter other, String host) {
    long hostBits = hostBits(host);
    for (Map.Entry<String, Command> e : other.commands.entrySet()) {
      Command theirs = e.getValue();
      Command c = command(e.getKey(), theirs.exe);
      c.events += theirs.events;
      c.bytes += theirs.bytes;
      c.samples += theirs.samples;
      c.moreProcesses += theirs.moreProcesses;
      for (long id : theirs.processIds) {
        if (!keep(c, hostBits | id)) {
          c.moreProcesses++;
        }
      }
    }
    if (commands.size() > 2 * capacity) {
      prune();
    }
  }

  /**
   * Commands from the top processes kept by state written before commands were counted (serializer
   * format 1): keys {@code comm/pid}, fleet-wide {@code host:comm/pid}. Their executable paths were
   * not kept; the rest of the window's execs bring them.
   */
  void addProcesses(TopCounter processes, boolean fleetWide) {
    for (Map.Entry<String, long[]> e : processes.counts.entrySet()) {
      String key = e.getKey();
      long[] v = e.getValue();
      String host = null;
      if (fleetWide && key.indexOf(':') >= 0) {
        host = key.substring(0, key.indexOf(':') + 1);
        key = key.substring(host.length());
      }
      int slash = key.lastIndexOf('/');
      Long pid = null;
      if (slash > 0 && !key.equals(TopCounter.OTHER)) {
        try {
          pid = Integer.toUnsignedLong(Integer.parseInt(key.substring(slash + 1)));
          key = key.substring(0, slash);
        } catch (NumberFormatException notAPid) {
          // a command named with a slash and no pid: counted without a process
        }
      }
      Command c = command(key, null);
      c.events += v[TopCounter.EVENTS];
      c.bytes += v[TopCounter.BYTES];
      c.samples += v[TopCounter.SAMPLES];
      if (pid != null && !keep(c, hostBits(host) | pid)) {
        c.moreProcesses++;
      }
    }
  }

  private static long hostBits(String host) {
    return host == null ? 0 : (long) host.hashCode() << 32;
  }

  private Command command(String comm, String exe) {
    Command c = commands.computeIfAbsent(comm, k -> new Command());
    if (c.exe.isEmpty() && exe != null) {
      c.exe = exe;
    }
    return c;
  }

  /** @return false when the id is new and no more ids are kept */
  private boolean keep(Command c, long id) {
    if (c.processIds.contains(id)) {
      return true;
    }
    if (idsKept >= PIDS_KEPT) {
      return false;
    }
    c.processIds.add(id);
    idsKept++;
    return true;
  }

  public int size() {
    return commands.size();
  }

  /** Puts a command read back from state. */
  void put(String comm, Command c) {
    commands.put(comm, c);
    idsKept += c.processIds.size();
  }

  /** The top {@code n} commands by events, by processes and by CPU samples (so up to 3n), most events first. */
  public List<CommandEntry> top(int n) {
    Set<String> keys = new LinkedHashSet<>();
    List<Comparator<Map.Entry<String, Command>>> orders = List.of(
        Comparator.comparingLong(e -> -e.getValue().events),
        Comparator.comparingLong(e -> -e.getValue().processes()),
        Comparator.comparingLong(e -> -e.getValue().samples));
    for (Comparator<Map.Entry<String, Command>> order : orders) {
      commands.entrySet().stream()
          .sorted(order.thenComparing(Map.Entry::getKey))
          .limit(n)
          .forEach(e -> keys.add(e.getKey()));
    }
    List<CommandEntry> out = new ArrayList<>();
    for (String k : keys) {
      Command c = commands.get(k);
      out.add(new CommandEntry(k, c.exe, c.processes(), c.events, c.bytes, c.samples));
    }
    out.sort(Comparator.comparingLong((CommandEntry e) -> -e.getEvents())
        .thenComparingLong(e -> -e.getProcesses())
        .thenComparingLong(e -> -e.getCpuSamples())
        .thenComparing(CommandEntry::getComm));
    return out;
  }

  private void prune() {
    TopCounter.foldSmallest(commands, capacity, c -> c.events + c.samples, Command::new, (other, c) -> {
      other.events += c.events;
      other.bytes += c.bytes;
      other.samples += c.samples;
      other.moreProcesses += c.processes();
      idsKept -= c.processIds.size();
    });
  }

  public CommandCounter copy() {
    CommandCounter c = new CommandCounter(capacity);
    commands.forEach((k, v) -> c.commands.put(k, v.copy()));
    c.idsKept = idsKept;
    return c;
  }
}

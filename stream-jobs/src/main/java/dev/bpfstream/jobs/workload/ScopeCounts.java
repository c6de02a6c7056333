package dev.bpfstream.jobs.workload;

import java.util.HashMap;
import java.util.Map;

/** Everything counted for one scope (a host, a container or namespace on it, the fleet) in one window. */
public final class ScopeCounts {
  /** Block devices: read ops, write ops, read bytes, write bytes. */
  static final int DEV_READS = 0;
  static final int DEV_WRITES = 1;
  static final int DEV_READ_BYTES = 2;
  static final int DEV_WRITE_BYTES = 3;
  /** A process that lived less than this is short-lived. */
  public static final long SHORT_LIVED_NS = 1_000_000_000L;

  final long[] counts = new long[Counter.ALL.length];
  final Map<String, long[]> devices = new HashMap<>();
  final TopCounter processes = new TopCounter();
  final TopCounter users = new TopCounter();
  final TopCounter containers = new TopCounter();
  final TopCounter remotes = new TopCounter();
  final TopCounter stacks = new TopCounter();
  final CommandCounter commands = new CommandCounter();

  public long get(Counter c) {
    return counts[c.ordinal()];
  }

  public CommandCounter commands() {
    return commands;
  }

  void inc(Counter c, long n) {
    counts[c.ordinal()] += n;
  }

  void add(WorkloadObservation o, String processKey, String userKey) {
    boolean profile = o.kind == WorkloadObservation.Kind.PROFILE;
    long events = profile ? 0 : 1;
    inc(Counter.EVENTS, events);
    switch (o.kind) {
      case EXEC -> inc(Counter.EXECS, 1);
      case EXIT -> {
        inc(Counter.EXITS, 1);
        if (o.lifetimeNs < SHORT_LIVED_NS) {
          inc(Counter.SHORT_LIVED, 1);
        }
      }
      case OPEN -> {
        inc(Counter.OPENS, 1);
        if (o.failed) {
          inc(Counter.FAILED_OPENS, 1);
        }
      }
      case FILE_OP -> {
        inc(Counter.SLOW_FILE_OPS, 1);
        inc(o.write ? Counter.FILE_WRITE_BYTES : Counter.FILE_READ_BYTES, o.bytes);
      }
      case BLOCK_IO -> {
        long[] d = devices.get(o.device);
        if (d == null) {
          d = new long[4];
          devices.put(o.device, d);
        }
        if (o.write) {
          inc(Counter.BLOCK_WRITES, 1);
          inc(Counter.BLOCK_WRITE_BYTES, o.bytes);
          d[DEV_WRITES]++;
          d[DEV_WRITE_BYTES] += o.bytes;
        } else {
          inc(Counter.BLOCK_READS, 1);
          inc(Counter.BLOCK_READ_BYTES, o.bytes);
          d[DEV_READS]++;
          d[DEV_READ_BYTES] += o.bytes;
        }
      }
      case TCP -> {
        switch (o.tcpType) {
          case CONNECT -> inc(Counter.TCP_CONNECTS, 1);
          case ACCEPT -> inc(Counter.TCP_ACCEPTS, 1);
          case CLOSE -> inc(Counter.TCP_CLOSES, 1);
          case RETRANSMIT -> inc(Counter.TCP_RETRANSMITS, 1);
          case SEND_RESET, RECEIVE_RESET -> inc(Counter.TCP_RESETS, 1);
          default -> { }
        }
        inc(Counter.TCP_BYTES, o.bytes);
        if (o.remote != null && !o.remote.isEmpty()) {
          remotes.add(o.remote, 1, o.bytes, 0);
        }
      }
      case PROFILE -> {
        inc(Counter.CPU_SAMPLES, o.samples);
        if (o.stack != null && !o.stack.isEmpty()) {
          stacks.add(o.stack, 0, 0, o.samples);
        }
      }
      default -> { }
    }
    processes.add(processKey, events, o.bytes, o.samples);
    commands.add(o.comm, o.pid, o.kind == WorkloadObservation.Kind.EXEC ? o.exe : null, events, o.bytes, o.samples);
    users.add(userKey, events, o.bytes, o.samples);
    if (o.containerId != null) {
      containers.add(o.containerId, events, o.bytes, o.samples);
    }
  }

  /**
   * Adds another scope's counts; process keys get {@code processPrefix} (the host, in fleet-wide
   * counts; then its processes are others than this scope's).
   */
  void merge(ScopeCounts other, String processPrefix) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    other.devices.forEach((dev, v) -> {
      long[] d = devices.computeIfAbsent(dev, k -> new long[4]);
      for (int i = 0; i < 4; i++) {
        d[i] += v[i];
      }
    });
    processes.merge(other.processes, processPrefix);
    users.merge(other.users, null);
    containers.merge(other.containers, null);
    remotes.merge(other.remotes, null);
    stacks.merge(other.stacks, null);
    commands.merge(other.commands, processPrefix);
  }

  ScopeCounts copy() {
    ScopeCounts c = new ScopeCounts();
    c.merge(this, null);
    return c;
  }
}

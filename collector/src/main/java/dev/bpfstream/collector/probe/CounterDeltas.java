package dev.bpfstream.collector.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.bpfstream.collector.bpf.BpfMap;

/**
 * Reads a per-CPU hash map whose values are arrays of u64 counters that the BPF side only ever
 * adds to (log2 histograms, page-cache counters) and returns, per key, what was added since the
 * previous read. The kernel values stay cumulative, so a read never races a BPF update into a
 * lost count; keys are deleted only when the map is nearly full and the key was idle for a whole
 * interval (the one place where a count landing between the read and the delete would be lost).
 * Not thread-safe: one drainer.
 */
public final class CounterDeltas {
  /** What one key gained since the last drain. */
  public record Delta(ByteBuffer key, long[] values) {
  }

  private final BpfMap map;
  private final int fields;
  private final Map<ByteBuffer, long[]> previous = new HashMap<>();
  private final byte[] value;
  private long pruned;

  public CounterDeltas(BpfMap map, int fields) {
    if (!map.perCpu() || map.valueSize() != fields * 8) {
      throw new IllegalArgumentException(map.name() + ": expected a per-CPU map of " + fields + " u64 counters");
    }
    this.map = map;
    this.fields = fields;
    this.value = new byte[map.valueBytes()];
  }

  /** Keys whose counters moved since the last call, with the difference (each delta's array is fresh). */
  public List<Delta> drain() {
    List<Delta> out = new ArrayList<>();
    List<ByteBuffer> idle = new ArrayList<>();
    byte[] key = null;
    byte[] next = new byte[map.keySize()];
    int entries = 0;
    while (map.nextKey(key, next)) {
      key = next.clone();
      entries++;
      if (!map.lookup(key, value)) {
        continue; // deleted between the two calls
      }
      long[] now = sum();
      ByteBuffer k = ByteBuffer.wrap(key).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
      long[] before = previous.put(k, now);
      long[] delta = new long[fields];
      boolean moved = false;
      for (int i = 0; i < fields; i++) {
        delta[i] = now[i] - (before == null ? 0 : before[i]);
        moved |= delta[i] != 0;
      }
      if (moved) {
        out.add(new Delta(k, delta));
      } else {
        idle.add(k);
      }
    }
    if (entries > map.maxEntries() * 3L / 4) {
      for (ByteBuffer k : idle) {
        byte[] raw = new byte[k.remaining()];
        k.duplicate().get(raw);
        if (map.delete(raw)) {
          previous.remove(k);
          pruned++;
        }
      }
    }
    return out;
  }

  /** Keys removed because the map was nearly full and they were idle. */
  public long pruned() {
    return pruned;
  }

  private long[] sum() {
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    long[] total = new long[fields];
    for (int cpu = 0; cpu < map.possibleCpus(); cpu++) {
      int at = cpu * map.perCpuStride();
      for (int i = 0; i < fields; i++) {
        total[i] += b.getLong(at + 8 * i);
      }
    }
    return total;
  }
}

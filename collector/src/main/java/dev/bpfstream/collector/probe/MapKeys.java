package dev.bpfstream.collector.probe;

import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.collector.bpf.BpfMap;

/** Every key of a hash map, collected before draining (deleting while iterating restarts the walk). */
public final class MapKeys {
  private MapKeys() {
  }

  public static List<byte[]> all(BpfMap map, int keySize) {
    List<byte[]> out = new ArrayList<>();
    byte[] prev = null;
    while (true) {
      byte[] next = new byte[keySize];
      if (!map.nextKey(prev, next)) {
        return out;
      }
      out.add(next);
      prev = next;
    }
  }
}

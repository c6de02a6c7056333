package dev.bpfstream.collector.bpf;

import jnr.ffi.Pointer;

/**
 * A loaded map, read and written by key. Values of per-CPU maps hold one slot per possible CPU,
 * each rounded up to 8 bytes ({@link #valueBytes()} gives the whole size). Not thread-safe: it reuses
 * native buffers; use one per thread.
 */
public final class BpfMap {
  public static final int TYPE_HASH = 1;
  public static final int TYPE_ARRAY = 2;
  public static final int TYPE_PERF_EVENT_ARRAY = 4;
  public static final int TYPE_PERCPU_HASH = 5;
  public static final int TYPE_PERCPU_ARRAY = 6;
  public static final int TYPE_STACK_TRACE = 7;
  public static final int TYPE_RINGBUF = 27;

  private final Native n;
  private final String name;
  private final int fd;
  private final int type;
  private final int keySize;
  private final int valueSize;
  private final int maxEntries;
  private final int cpus;
  private final Pointer key;
  private final Pointer next;
  private final Pointer value;

  BpfMap(Native n, String name, int fd, int type, int keySize, int valueSize, int maxEntries) {
    this.n = n;
    this.name = name;
    this.fd = fd;
    this.type = type;
    this.keySize = keySize;
    this.valueSize = valueSize;
    this.maxEntries = maxEntries;
    this.cpus = n.bpf.libbpf_num_possible_cpus();
    this.key = n.allocate(Math.max(8, keySize));
    this.next = n.allocate(Math.max(8, keySize));
    this.value = n.allocate(Math.max(8, valueBytes()));
  }

  public String name() {
    return name;
  }

  public int fd() {
    return fd;
  }

  public int type() {
    return type;
  }

  public int keySize() {
    return keySize;
  }

  public int valueSize() {
    return valueSize;
  }

  public int maxEntries() {
    return maxEntries;
  }

  public boolean perCpu() {
    return type == TYPE_PERCPU_ARRAY || type == TYPE_PERCPU_HASH;
  }

  public int possibleCpus() {
    return cpus;
  }

  /** Bytes of one lookup result: valueSize, or per CPU the 8-aligned value times the CPU count. */
  public int valueBytes() {
    return perCpu() ? ((valueSize + 7) & ~7) * cpus : valueSize;
  }

  /** Stride between CPU slots in a per-CPU value. */
  public int perCpuStride() {
    return (valueSize + 7) & ~7;
  }

  /** Copies the value of {@code k} into {@code out}; false when there is no such key. */
  public boolean lookup(byte[] k, byte[] out) {
    key.put(0, k, 0, keySize);
    int rc = n.bpf.bpf_map_lookup_elem(fd, key, value);
    if (rc != 0) {
      int errno = rc < 0 ? -rc : n.errno();
      if (errno == 2) {
        return false;
      }
      throw n.failure("reading map " + name, rc);
    }
    value.get(0, out, 0, valueBytes());
    return true;
  }

  public void update(byte[] k, byte[] v) {
    key.put(0, k, 0, keySize);
    value.put(0, v, 0, valueBytes());
    int rc = n.bpf.bpf_map_update_elem(fd, key, value, 0);
    if (rc != 0) {
      throw n.failure("writing map " + name, rc);
    }
  }

  /** False when the key was not there. */
  public boolean delete(byte[] k) {
    key.put(0, k, 0, keySize);
    int rc = n.bpf.bpf_map_delete_elem(fd, key);
    if (rc != 0) {
      int errno = rc < 0 ? -rc : n.errno();
      if (errno == 2) {
        return false;
      }
      throw n.failure("deleting from map " + name, rc);
    }
    return true;
  }

  /** The key after {@code k} (the first key when {@code k} is null) into {@code out}; false at the end. */
  public boolean nextKey(byte[] k, byte[] out) {
    Pointer kp = null;
    if (k != null) {
      key.put(0, k, 0, keySize);
      kp = key;
    }
    int rc = n.bpf.bpf_map_get_next_key(fd, kp, next);
    if (rc != 0) {
      int errno = rc < 0 ? -rc : n.errno();
      if (errno == 2) {
        return false;
      }
      throw n.failure("iterating map " + name, rc);
    }
    next.get(0, out, 0, keySize);
    return true;
  }
}

package dev.bpfstream.collector.bpf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jnr.ffi.Pointer;

/**
 * One CO-RE BPF object: opened from the ELF bytes shipped in the jar, configured (ring size, the
 * load-time configuration in .rodata, which programs load), loaded into the kernel, attached.
 * Closing detaches every link and frees programs and maps; nothing is pinned.
 */
public final class BpfObject implements AutoCloseable {
  private final Native n;
  private final String name;
  private final Pointer elf;  // libbpf reads it in place until load: kept alive with the object
  private final Pointer obj;
  private final Map<String, Pointer> programs = new LinkedHashMap<>();
  private final Map<String, Pointer> maps = new LinkedHashMap<>();
  private final List<BpfLink> links = new ArrayList<>();
  private final java.util.Set<String> notLoaded = new java.util.HashSet<>();
  private boolean loaded;
  private boolean closed;

  private BpfObject(Native n, String name, Pointer elf, Pointer obj) {
    this.n = n;
    this.name = name;
    this.elf = elf;
    this.obj = obj;
    for (Pointer p = n.bpf.bpf_object__next_program(obj, null); p != null; p = n.bpf.bpf_object__next_program(obj, p)) {
      programs.put(n.bpf.bpf_program__name(p), p);
    }
    for (Pointer m = n.bpf.bpf_object__next_map(obj, null); m != null; m = n.bpf.bpf_object__next_map(obj, m)) {
      maps.put(n.bpf.bpf_map__name(m), m);
    }
  }

  /** Opens an object from its ELF bytes; {@code name} names it in errors and in the kernel (max 15 chars used). */
  public static BpfObject open(String name, byte[] elfBytes) {
    Native n = Native.get();
    Pointer elf = n.allocate(elfBytes.length);
    elf.put(0, elfBytes, 0, elfBytes.length);
    // struct bpf_object_open_opts { size_t sz; const char *object_name; ... }: only the first two
    // fields are set and sz says so, which libbpf accepts from older callers.
    Pointer opts = n.allocate(16);
    Pointer objName = n.allocate(name.length() + 1);
    objName.putString(0, name, name.length() + 1, java.nio.charset.StandardCharsets.US_ASCII);
    opts.putLong(0, 16);
    opts.putPointer(8, objName);
    Pointer obj = n.bpf.bpf_object__open_mem(elf, elfBytes.length, opts);
    if (obj == null) {
      throw n.failure("opening BPF object " + name, 0);
    }
    return new BpfObject(n, name, elf, obj);
  }

  public String name() {
    return name;
  }

  public List<String> programNames() {
    return List.copyOf(programs.keySet());
  }

  public String sectionOf(String program) {
    return n.bpf.bpf_program__section_name(program(program));
  }

  /** Writes the probe's load-time configuration (its .rodata, the one `cfg` variable). Before load. */
  public void writeConfig(ByteBuffer config) {
    requireNotLoaded("writeConfig");
    Pointer rodata = maps.entrySet().stream().filter(e -> e.getKey().endsWith(".rodata"))
        .map(Map.Entry::getValue).findFirst()
        .orElseThrow(() -> new BpfException(name + ": no .rodata map: the program declares no const volatile cfg", 0));
    int size = n.bpf.bpf_map__value_size(rodata);
    byte[] bytes = new byte[size];
    ByteBuffer src = config.duplicate();
    src.rewind();
    if (src.remaining() > size) {
      throw new BpfException(name + ": config of " + src.remaining() + " bytes does not fit .rodata of " + size, 0);
    }
    src.get(bytes, 0, src.remaining());
    Pointer p = n.allocate(size);
    p.put(0, bytes, 0, size);
    int rc = n.bpf.bpf_map__set_initial_value(rodata, p, size);
    if (rc != 0) {
      throw n.failure(name + ": setting configuration", rc);
    }
  }

  public void setMaxEntries(String map, int maxEntries) {
    requireNotLoaded("setMaxEntries");
    int rc = n.bpf.bpf_map__set_max_entries(mapPointer(map), maxEntries);
    if (rc != 0) {
      throw n.failure(name + ": sizing map " + map + " to " + maxEntries, rc);
    }
  }

  public void setAutoload(String program, boolean autoload) {
    requireNotLoaded("setAutoload");
    n.bpf.bpf_program__set_autoload(program(program), autoload);
    if (autoload) {
      notLoaded.remove(program);
    } else {
      notLoaded.add(program);
    }
  }

  /** False for a program set not to load (so there is nothing to attach). */
  public boolean loads(String program) {
    return !notLoaded.contains(program);
  }

  /** Loads every program marked to load; on a verifier rejection libbpf's log (routed to SLF4J "libbpf") has the details. */
  public void load() {
    requireNotLoaded("load");
    int rc = n.bpf.bpf_object__load(obj);
    if (rc != 0) {
      throw n.failure("loading BPF object " + name + " (verifier log, if any, is in the libbpf log)", rc);
    }
    loaded = true;
  }

  /** Attaches by section name (tracepoint, raw_tp, tp_btf, ...). */
  public BpfLink attach(String program) {
    requireLoaded();
    Pointer link = n.bpf.bpf_program__attach(program(program));
    if (link == null) {
      throw n.failure(name + ": attaching " + program + " (" + sectionOf(program) + ")", 0);
    }
    return track(new BpfLink(n, program, link));
  }

  public BpfLink attachPerfEvent(String program, int perfEventFd) {
    requireLoaded();
    Pointer link = n.bpf.bpf_program__attach_perf_event(program(program), perfEventFd);
    if (link == null) {
      throw n.failure(name + ": attaching " + program + " to perf event fd " + perfEventFd, 0);
    }
    return track(new BpfLink(n, program, link));
  }

  /** Attaches a uprobe (or uretprobe) at a file offset of a binary, for every process ({@code pid} -1). */
  public BpfLink attachUprobe(String program, boolean retprobe, int pid, String binaryPath, long fileOffset) {
    requireLoaded();
    Pointer link = n.bpf.bpf_program__attach_uprobe(program(program), retprobe, pid, binaryPath, fileOffset);
    if (link == null) {
      throw n.failure(name + ": attaching " + program + " to " + binaryPath + "+0x" + Long.toHexString(fileOffset), 0);
    }
    return track(new BpfLink(n, program, link));
  }

  public BpfMap map(String map) {
    requireLoaded();
    Pointer m = mapPointer(map);
    return new BpfMap(n, name + "." + map, n.bpf.bpf_map__fd(m), n.bpf.bpf_map__type(m),
        n.bpf.bpf_map__key_size(m), n.bpf.bpf_map__value_size(m), n.bpf.bpf_map__max_entries(m));
  }

  public boolean hasMap(String map) {
    return maps.containsKey(map);
  }

  /** Detaches every program; maps stay readable until close. */
  public synchronized void detach() {
    for (int i = links.size() - 1; i >= 0; i--) {
      links.get(i).close();
    }
    links.clear();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    detach();
    closed = true;
    n.bpf.bpf_object__close(obj);
  }

  private synchronized BpfLink track(BpfLink link) {
    links.add(link);
    return link;
  }

  private Pointer program(String program) {
    Pointer p = programs.get(program);
    if (p == null) {
      throw new BpfException(name + ": no program " + program + " (has " + programs.keySet() + ")", 0);
    }
    return p;
  }

  private Pointer mapPointer(String map) {
    Pointer m = maps.get(map);
    if (m == null) {
      throw new BpfException(name + ": no map " + map + " (has " + maps.keySet() + ")", 0);
    }
    return m;
  }

  private void requireNotLoaded(String what) {
    if (loaded) {
      throw new IllegalStateException(name + ": " + what + " after load");
    }
  }

  private void requireLoaded() {
    if (!loaded) {
      throw new IllegalStateException(name + ": not loaded");
    }
    if (closed) {
      throw new IllegalStateException(name + ": closed");
    }
  }

  /** The ELF stays referenced until close; this keeps the JIT from dropping it early. */
  Pointer elf() {
    return elf;
  }
}

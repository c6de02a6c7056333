package dev.bpfstream.collector.symbol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the frames of sampled stacks. Kernel frames from /proc/kallsyms; user frames from the
 * ELF symbol tables of the files a process maps, opened through /proc/PID/root (so a process in
 * another mount namespace resolves against its own files) or /proc/PID/map_files (deleted or
 * unreachable files), cached by device and inode across processes; JIT frames from the
 * process's /tmp/perf-PID.map, which a HotSpot JVM is asked to write when its JIT frames have no
 * name yet ({@link JvmPerfMaps}). A frame that cannot be named is kept: "file+0xOFFSET" when its
 * file is known, else "0xADDRESS". One thread; call {@link #beginDrain()} before each interval's
 * stacks so process maps are re-read.
 */
public final class StackSymbolizer {
  private static final Logger log = LoggerFactory.getLogger(StackSymbolizer.class);

  private final Path proc;
  private final int maxFiles;
  private final Map<String, ElfSymbols> files;
  private final Map<Integer, ProcessView> processes = new HashMap<>();
  private final JvmPerfMaps jvms;
  private KernelSymbols kernel;
  private boolean kernelUnavailable;
  private long resolved;
  private long unresolved;
  private long ofExited;
  private long fileErrors;

  /** Null value in {@link #files}: the file could not be read; not retried while cached. */
  private static final ElfSymbols UNREADABLE = null;

  public StackSymbolizer() {
    this(Path.of("/proc"), 512, true);
  }

  /** @param askJvms whether HotSpot JVMs with unnamed JIT frames are asked for their perf maps */
  public StackSymbolizer(Path proc, int maxFiles, boolean askJvms) {
    this.proc = proc;
    this.maxFiles = maxFiles;
    this.jvms = new JvmPerfMaps(proc, JvmPerfMaps.MIN_INTERVAL_NS, askJvms);
    this.files = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, ElfSymbols> eldest) {
        return size() > StackSymbolizer.this.maxFiles;
      }
    };
  }

  /** Forgets process maps and perf maps read for the previous interval. */
  public void beginDrain() {
    processes.clear();
    jvms.beginDrain();
  }

  /** Names kernel frames, innermost first. {@code ips[0]} is the sampled address, the rest return addresses. */
  public List<String> kernelFrames(long[] ips, int n) {
    List<String> out = new ArrayList<>(n);
    KernelSymbols k = kernelSymbols();
    for (int i = 0; i < n; i++) {
      String name = k == null ? null : k.symbolAt(i == 0 ? ips[i] : ips[i] - 1);
      count(name);
      out.add(name != null ? name : hex(ips[i]));
    }
    return out;
  }

  /** Names the user frames of process {@code pid}, innermost first. */
  public List<String> userFrames(int pid, long[] ips, int n) {
    List<String> out = new ArrayList<>(n);
    ProcessView p = processes.computeIfAbsent(pid, this::view);
    if (p.maps == null) {
      ofExited += n;
    }
    for (int i = 0; i < n; i++) {
      // A return address points after its call, possibly past the caller's last byte.
      out.add(userFrame(p, ips[i], i == 0 ? ips[i] : ips[i] - 1));
    }
    return out;
  }

  private String userFrame(ProcessView p, long address, long lookup) {
    ProcessMaps.Region r = p.maps == null ? null : p.maps.regionOf(lookup);
    if (r != null && r.isFile()) {
      long offset = lookup - r.start() + r.offset();
      ElfSymbols elf = file(p.pid, r);
      String name = null;
      if (elf != null) {
        long vaddr = elf.vaddrOfFileOffset(offset);
        name = vaddr < 0 ? null : elf.symbolAt(vaddr);
      }
      count(name);
      return name != null ? name : baseName(r.path()) + "+0x" + Long.toHexString(address - r.start() + r.offset());
    }
    String jit = p.perfMap().symbolAt(lookup);
    // Only code in anonymous executable memory is a JIT's; an unmapped address is a broken frame walk.
    if (jit == null && r != null && !r.path().startsWith("[") && p.refreshPerfMap()) {
      jit = p.perfMap().symbolAt(lookup);
    }
    count(jit);
    if (jit != null) {
      return jit;
    }
    if (r != null && r.path().startsWith("[")) {
      return r.path() + "+0x" + Long.toHexString(address - r.start());
    }
    return hex(address);
  }

  private ElfSymbols file(int pid, ProcessMaps.Region r) {
    String key = r.dev() + ":" + r.inode();
    if (files.containsKey(key)) {
      return files.get(key);
    }
    ElfSymbols elf = UNREADABLE;
    List<Path> candidates = new ArrayList<>(2);
    if (!r.deleted()) {
      candidates.add(proc.resolve(Integer.toString(pid)).resolve("root").resolve(r.path().substring(1)));
    }
    candidates.add(proc.resolve(Integer.toString(pid)).resolve("map_files").resolve(r.mapFilesName()));
    for (Path c : candidates) {
      try {
        elf = ElfSymbols.read(c);
        break;
      } catch (IOException e) {
        log.debug("symbols of {}: {}", c, e.toString());
      }
    }
    if (elf == UNREADABLE) {
      if (!Files.exists(proc.resolve(Integer.toString(pid)))) {
        return null; // the process is gone; another process may still map the file
      }
      fileErrors++;
    }
    files.put(key, elf);
    return elf;
  }

  private ProcessView view(int pid) {
    ProcessMaps maps = null;
    try {
      maps = ProcessMaps.read(proc.resolve(Integer.toString(pid)).resolve("maps"));
    } catch (IOException | RuntimeException e) {
      log.debug("maps of {}: {}", pid, e.toString()); // exited since the sample
    }
    return new ProcessView(pid, maps);
  }

  private KernelSymbols kernelSymbols() {
    if (kernel == null && !kernelUnavailable) {
      try {
        kernel = KernelSymbols.load(proc.resolve("kallsyms"));
        if (kernel.size() == 0) {
          log.warn("/proc/kallsyms shows no addresses (kptr_restrict): kernel frames stay addresses");
        }
      } catch (IOException e) {
        kernelUnavailable = true;
        log.warn("/proc/kallsyms unreadable ({}): kernel frames stay addresses", e.toString());
      }
    }
    return kernel;
  }

  private void count(String name) {
    if (name != null) {
      resolved++;
    } else {
      unresolved++;
    }
  }

  static String hex(long address) {
    return "0x" + Long.toHexString(address);
  }

  private static String baseName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /**
   * {@code ofExitedProcesses}: user frames of processes gone before their interval was drained
   * (kept as addresses); {@code perfMapSkipped}: processes with unnamed JIT frames not asked for a
   * perf map (not a HotSpot JVM, or one that must not be signalled); {@code jvmsSignalled}: JVMs
   * sent SIGQUIT to start their attach listener.
   */
  public record Stats(long resolved, long unresolved, long ofExitedProcesses, long fileErrors, int filesCached,
                      long perfMapRequests, long perfMapsWritten, long perfMapFailures, long perfMapSkipped, long jvmsSignalled) {
  }

  public Stats stats() {
    return new Stats(resolved, unresolved, ofExited, fileErrors, files.size(), jvms.requests, jvms.written, jvms.failures,
        jvms.skipped, jvms.signalled);
  }

  /** One process as seen during one drain. */
  private final class ProcessView {
    final int pid;
    final ProcessMaps maps;
    private PerfMap perfMap;
    private boolean refreshed;

    ProcessView(int pid, ProcessMaps maps) {
      this.pid = pid;
      this.maps = maps;
    }

    /** The JIT map the process writes as /tmp/perf-NSPID.map inside its own root and pid namespace. */
    PerfMap perfMap() {
      if (perfMap == null) {
        perfMap = PerfMap.EMPTY;
        Path dir = proc.resolve(Integer.toString(pid));
        try {
          Path file = dir.resolve("root").resolve("tmp").resolve("perf-" + namespacePid(dir) + ".map");
          if (Files.isRegularFile(file)) {
            perfMap = PerfMap.read(file);
          }
        } catch (IOException | RuntimeException e) {
          log.debug("perf map of {}: {}", pid, e.toString());
        }
      }
      return perfMap;
    }

    /** A HotSpot JVM with unnamed JIT frames is asked for a fresh perf map (rate-limited); true when it wrote one. */
    boolean refreshPerfMap() {
      if (refreshed) {
        return false;
      }
      refreshed = true;
      try {
        if (jvms.refresh(pid, namespacePid(proc.resolve(Integer.toString(pid))), JvmPerfMaps.isHotSpot(maps), System.nanoTime())) {
          perfMap = null; // read again
          return true;
        }
      } catch (IOException | RuntimeException e) {
        log.debug("perf map of JVM {}: {}", pid, e.toString());
      }
      return false;
    }

    private int namespacePid(Path dir) throws IOException {
      for (String line : Files.readAllLines(dir.resolve("status"))) {
        if (line.startsWith("NSpid:")) {
          String[] f = line.substring(6).trim().split("\\s+");
          return Integer.parseInt(f[f.length - 1]);
        }
      }
      return pid;
    }
  }
}

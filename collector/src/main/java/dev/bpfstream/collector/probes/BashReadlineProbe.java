package dev.bpfstream.collector.probes;

import static dev.bpfstream.collector.probe.RecordLayout.BODY;
import static dev.bpfstream.collector.probe.RecordLayout.HDR_BYTES;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.bpfstream.collector.bpf.BpfException;
import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.enrich.Redactor;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.MalformedRecordException;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.ProbeOption;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.RecordDecoder;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.collector.symbol.ElfSymbols;
import dev.bpfstream.event.ShellCommand;
import dev.bpfstream.schema.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bashreadline: each line an interactive bash reads, from a uretprobe on readline(). Attaches to
 * the configured bash binaries and, at start and every interval, to every other bash binary a
 * running process executes (bash in a container's mount namespace is opened through
 * /proc/PID/root). A binary is one inode: each is attached once.
 */
public final class BashReadlineProbe extends Probe {
  private static final Logger log = LoggerFactory.getLogger(BashReadlineProbe.class);
  static final int EXE_INO = BODY;
  static final int EXE_DEV = BODY + 8;
  static final int LINE_LEN = BODY + 12;
  static final int TRUNCATED = BODY + 16;
  static final int LINE = BODY + 24;
  static final int LINE_MAX = 512;
  static final String FUNCTION = "readline";

  private final Path proc;
  private List<String> configured = List.of();
  private final Set<String> seenFiles = new HashSet<>();
  /** Traced binaries by "major:minor:inode", as the records name them: the path its processes see. */
  private final Map<String, String> shellByFile = new ConcurrentHashMap<>();
  private final List<String> attached = new ArrayList<>();
  private long attachFailures;

  public BashReadlineProbe() {
    this(Path.of("/proc"));
  }

  BashReadlineProbe(Path proc) {
    this.proc = proc;
  }

  @Override
  public String name() {
    return "bashreadline";
  }

  @Override
  public String replaces() {
    return "bashreadline";
  }

  @Override
  public String description() {
    return "command lines read by interactive bash (host and containers), redacted";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.SHELL);
  }

  @Override
  public List<String> tracepoints() {
    return List.of();
  }

  @Override
  public List<ProbeOption> options() {
    return List.of(ProbeOption.list("shells", "/bin/bash", 16, 4095,
        "bash binaries traced from the start, comma-separated (bash binaries running processes use are found too)"));
  }

  @Override
  protected void prepare(BpfObject object, ProbeOptions options) {
    configured = options.list(this, "shells");
  }

  @Override
  protected synchronized void attach(BpfObject object) {
    for (String path : configured) {
      Path p = Path.of(path);
      if (Files.isRegularFile(p)) {
        attachTo(object, p, path);
      } else {
        log.info("bashreadline: no shell at {}", path);
      }
    }
    attachRunningShells(object);
    if (attached.isEmpty()) {
      throw new BpfException("bashreadline: no bash with a " + FUNCTION + "() symbol found at " + configured
          + " or among running processes; name the binary with --probe-option bashreadline.shells=PATH", 0);
    }
  }

  @Override
  public synchronized void onInterval(LoadedProbe loaded, DecodeContext context) {
    attachRunningShells(loaded.object());
  }

  /** Shells started since (a container's bash, a bash installed elsewhere) get their own uretprobe. */
  private void attachRunningShells(BpfObject object) {
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
      for (Path dir : pids) {
        String exe;
        try {
          exe = Files.readSymbolicLink(dir.resolve("exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
          continue; // kernel thread, or exited
        }
        if (!exe.startsWith("/") || exe.endsWith(" (deleted)") || !isShellName(exe)) {
          continue;
        }
        attachTo(object, dir.resolve("root").resolve(exe.substring(1)), exe);
      }
    } catch (IOException e) {
      log.warn("bashreadline: cannot list {}: {}", proc, e.toString());
    }
  }

  private boolean isShellName(String exe) {
    String base = exe.substring(exe.lastIndexOf('/') + 1);
    for (String c : configured) {
      if (base.equals(c.substring(c.lastIndexOf('/') + 1))) {
        return true;
      }
    }
    return base.equals("bash");
  }

  /** {@code shown}: the path the binary's processes know it by (inside their mount namespace). */
  private void attachTo(BpfObject object, Path binary, String shown) {
    String file;
    try {
      long dev = (Long) Files.getAttribute(binary, "unix:dev");
      // glibc's dev_t encoding (gnu_dev_major / gnu_dev_minor)
      int major = (int) ((dev >>> 8) & 0xfff) | ((int) (dev >>> 32) & ~0xfff);
      int minor = (int) (dev & 0xff) | ((int) (dev >>> 12) & ~0xff);
      file = fileKey(major, minor, (Long) Files.getAttribute(binary, "unix:ino"));
    } catch (IOException | RuntimeException e) {
      return;
    }
    if (!seenFiles.add(file)) {
      return;
    }
    try {
      long offset = ElfSymbols.read(binary).fileOffsetOf(FUNCTION);
      if (offset < 0) {
        log.info("bashreadline: {} has no {}() symbol; not traced", binary, FUNCTION);
        return;
      }
      object.attachUprobe("readline_return", true, -1, binary.toString(), offset);
      attached.add(binary.toString());
      shellByFile.put(file, shown);
      log.info("bashreadline: tracing {} ({}+0x{})", binary, FUNCTION, Long.toHexString(offset));
    } catch (IOException | BpfException e) {
      attachFailures++;
      log.warn("bashreadline: cannot trace {}: {}", binary, e.getMessage());
    }
  }

  static String fileKey(int major, int minor, long inode) {
    return major + ":" + minor + ":" + inode;
  }

  private static boolean isPid(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return false;
      }
    }
    return !name.isEmpty();
  }

  /** Binaries traced so far (paths as opened, container ones under /proc/PID/root). */
  public synchronized List<String> attachedBinaries() {
    return List.copyOf(attached);
  }

  @Override
  public synchronized void addCounters(LoadedProbe loaded, Map<String, Long> into) {
    into.put("binaries_traced", (long) attached.size());
    into.put("attach_failures", attachFailures);
  }

  @Override
  public RecordDecoder decoder(DecodeContext context) {
    return new Decoder(context, proc, shellByFile);
  }

  static final class Decoder implements RecordDecoder {
    private final DecodeContext out;
    private final Redactor redactor;
    private final Path proc;
    private final Map<String, String> shellByFile;
    private final ShellCommand record = new ShellCommand();
    private final byte[] bytes = new byte[LINE_MAX];
    private final List<String> tokens = new ArrayList<>();
    private final List<String> redactedTokens = new ArrayList<>();
    private final Map<Integer, String> shells = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
        return size() > 1024;
      }
    };

    Decoder(DecodeContext out, Path proc, Map<String, String> shellByFile) {
      this.out = out;
      this.redactor = out.redactor();
      this.proc = proc;
      this.shellByFile = shellByFile;
      record.setCtx(TaskContextReader.newContext());
    }

    @Override
    public void decode(ByteBuffer b, int at, int length) {
      if (length < LINE) {
        throw new MalformedRecordException("shell record of " + length + " bytes");
      }
      int len = b.getInt(at + LINE_LEN);
      if (len < 0 || len >= LINE_MAX || LINE + len > length) {
        throw new MalformedRecordException("shell line of " + len + " bytes in a record of " + length);
      }
      out.tasks().read(b, at + HDR_BYTES, record.getCtx());
      b.get(at + LINE, bytes, 0, len);
      String line = new String(bytes, 0, len, StandardCharsets.UTF_8);
      String masked = redact(line);
      record.setCommand(masked);
      record.setRedacted(!masked.equals(line));
      record.setTruncated(b.getInt(at + TRUNCATED) != 0);
      int dev = b.getInt(at + EXE_DEV);
      String shell = shellByFile.get(fileKey(dev >>> 20, dev & 0xfffff, b.getLong(at + EXE_INO)));
      record.setShell(shell != null ? shell : shellOf(record.getCtx().getPid()));
      out.emit(Topic.SHELL, record);
    }

    /** Redacts word by word like argv (so "--password X" masks X), keeping the line's spacing. */
    private String redact(String line) {
      if (!redactor.active()) {
        return line;
      }
      tokens.clear();
      List<int[]> spans = new ArrayList<>();
      int i = 0;
      while (i < line.length()) {
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
          i++;
        }
        int start = i;
        while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
          i++;
        }
        if (i > start) {
          tokens.add(line.substring(start, i));
          spans.add(new int[] {start, i});
        }
      }
      redactor.redactArgs(tokens, redactedTokens);
      StringBuilder sb = new StringBuilder(line.length());
      int from = 0;
      for (int t = 0; t < spans.size(); t++) {
        sb.append(line, from, spans.get(t)[0]).append(redactedTokens.get(t));
        from = spans.get(t)[1];
      }
      return sb.append(line, from, line.length()).toString();
    }

    /** A shell not attached by this probe (another collector's uprobe?): its executable, if still running. */
    private String shellOf(int pid) {
      String s = shells.get(pid);
      if (s == null) {
        try {
          s = Files.readSymbolicLink(proc.resolve(Integer.toString(pid)).resolve("exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
          s = "bash"; // exited before its line was read
        }
        shells.put(pid, s);
      }
      return s;
    }
  }
}

package dev.bpfstream.collector.probes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.bpfstream.collector.bpf.BpfMap;
import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.probe.CpuSamplingProbe;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.DrainGeneration;
import dev.bpfstream.collector.probe.EpochNanos;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.MapKeys;
import dev.bpfstream.collector.probe.ProbeOption;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.RecordLayout;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.collector.symbol.StackSymbolizer;
import dev.bpfstream.event.ProfileSample;
import dev.bpfstream.schema.Topic;

/**
 * profile: on-CPU samples (CPU-clock perf event on every CPU, default 49 Hz) counted in the kernel
 * per thread, namespaces and (kernel stack, user stack); each interval the counts are drained,
 * the stacks symbolized and emitted with folded stacks for flame graphs.
 */
public final class ProfileProbe extends CpuSamplingProbe {
  /** struct profile_key */
  static final int KEY_PID = 0;
  static final int KEY_TID = 4;
  static final int KEY_KERNEL_STACK = 8;
  static final int KEY_USER_STACK = 12;
  static final int KEY_NS = 16;
  static final int KEY_GENERATION = 48;
  static final int KEY_SIZE = 56;
  /** struct profile_value */
  static final int VALUE_COUNT = 0;
  static final int VALUE_CTX = 8;
  static final int VALUE_SIZE = VALUE_CTX + RecordLayout.CTX_BYTES;
  static final int STACK_DEPTH = 127;
  /** bpf_get_stackid's answer when there is no such stack (user stack of a kernel thread, kernel stack in user mode). */
  static final int NO_STACK = -14;

  private Drain drain;
  private boolean askJvms;

  public ProfileProbe() {
    super("profile_sample", 49);
  }

  @Override
  public String name() {
    return "profile";
  }

  @Override
  public String replaces() {
    return "profile";
  }

  @Override
  public String description() {
    return "on-CPU stack samples (kernel + user, symbolized, folded) per thread and namespaces";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.PROFILE);
  }

  @Override
  public List<ProbeOption> options() {
    List<ProbeOption> options = new ArrayList<>(super.options());
    options.add(ProbeOption.flag("jvm-perfmap", true, "ask HotSpot JVMs (Java 17+) with unnamed JIT frames for their perf map, as "
        + "jcmd PID Compiler.perfmap does, starting the attach listener of one not listening yet when that is safe"));
    return options;
  }

  @Override
  protected void prepare(BpfObject object, ProbeOptions options) {
    super.prepare(object, options);
    askJvms = options.flag(this, "jvm-perfmap");
  }

  @Override
  public synchronized void onInterval(LoadedProbe loaded, DecodeContext context) {
    if (drain == null) {
      drain = new Drain(loaded.object(), startedNs(), hz(), new StackSymbolizer(Path.of("/proc"), 512, askJvms));
    }
    drain.run(context);
  }


  @Override
  public synchronized void addCounters(LoadedProbe loaded, Map<String, Long> into) {
    super.addCounters(loaded, into);
    if (drain != null) {
      into.put("samples", drain.samples);
      into.put("records", drain.records);
      into.put("last_drain_ns", drain.lastDrainNanos);
      into.put("kernel_stacks_lost", drain.kernelStacksLost);
      into.put("user_stacks_lost", drain.userStacksLost);
      StackSymbolizer.Stats s = drain.symbolizer.stats();
      into.put("frames_resolved", s.resolved());
      into.put("frames_unresolved", s.unresolved());
      into.put("frames_of_exited_processes", s.ofExitedProcesses());
      into.put("symbol_files_unreadable", s.fileErrors());
      into.put("jvm_perfmap_requests", s.perfMapRequests());
      into.put("jvm_perfmaps_written", s.perfMapsWritten());
      into.put("jvm_perfmap_failures", s.perfMapFailures());
      into.put("jvm_perfmap_skipped", s.perfMapSkipped());
      into.put("jvm_attach_signals", s.jvmsSignalled());
    }
  }

  static final class Drain {
    private final DrainGeneration generation;
    private final BpfMap counts;
    private final BpfMap[] stacks;
    private final int hz;
    final StackSymbolizer symbolizer;
    private final byte[] value = new byte[VALUE_SIZE];
    private final ByteBuffer v = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    private final byte[] stack = new byte[STACK_DEPTH * 8];
    private final long[] ips = new long[STACK_DEPTH];
    private final ProfileSample record = new ProfileSample();
    private long intervalStart;
    long samples;
    long records;
    long kernelStacksLost;
    long userStacksLost;
    long lastDrainNanos;

    Drain(BpfObject object, long startedNs, int hz, StackSymbolizer symbolizer) {
      this.symbolizer = symbolizer;
      this.generation = new DrainGeneration(object);
      this.counts = object.map("counts");
      this.stacks = new BpfMap[] {object.map("stacks_even"), object.map("stacks_odd")};
      this.hz = hz;
      this.intervalStart = startedNs;
      record.setCtx(TaskContextReader.newContext());
    }

    void run(DecodeContext context) {
      long started = System.nanoTime();
      long end = EpochNanos.now();
      int ended = generation.flip();
      symbolizer.beginDrain();
      for (byte[] key : MapKeys.all(counts, KEY_SIZE)) {
        ByteBuffer k = ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN);
        int gen = k.getInt(KEY_GENERATION);
        if (gen == generation.current() || !counts.lookup(key, value)) {
          continue;
        }
        counts.delete(key);
        emit(context, k, stacks[gen & 1], end);
      }
      // The ended generation's stacks are all read: clear them for the generation after next.
      BpfMap done = stacks[ended & 1];
      for (byte[] id : MapKeys.all(done, 4)) {
        done.delete(id);
      }
      intervalStart = end;
      lastDrainNanos = System.nanoTime() - started;
    }

    private void emit(DecodeContext context, ByteBuffer k, BpfMap stackMap, long end) {
      int pid = k.getInt(KEY_PID);
      int kernelId = k.getInt(KEY_KERNEL_STACK);
      int userId = k.getInt(KEY_USER_STACK);
      long count = v.getLong(VALUE_COUNT);
      context.tasks().read(v, VALUE_CTX, record.getCtx());
      record.getCtx().setSeq(0L);

      int kn = frames(stackMap, kernelId);
      List<String> kernel = kn < 0 ? List.of() : symbolizer.kernelFrames(ips, kn);
      int un = frames(stackMap, userId);
      List<String> user = un < 0 ? List.of() : symbolizer.userFrames(pid, ips, un);
      boolean kernelLost = kn < 0 && kernelId != NO_STACK;
      boolean userLost = un < 0 && userId != NO_STACK;
      if (kernelLost) {
        kernelStacksLost += count;
      }
      if (userLost) {
        userStacksLost += count;
      }
      samples += count;
      records++;

      record.setIntervalStartNs(intervalStart);
      record.setIntervalEndNs(end);
      record.setFrequencyHz(hz);
      record.setCount(count);
      record.setKernelFrames(kernel);
      record.setUserFrames(user);
      record.setKernelStackLost(kernelLost);
      record.setUserStackLost(userLost);
      record.setFolded(FoldedStack.of(record.getCtx().getComm(), user, userLost, kernel, kernelLost));
      context.emit(Topic.PROFILE, record);
    }

    /** Reads stack {@code id} into {@link #ips}; its frame count, or -1 when it is absent or lost. */
    private int frames(BpfMap map, int id) {
      if (id < 0) {
        return -1;
      }
      byte[] key = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, id).array();
      if (!map.lookup(key, stack)) {
        return -1;
      }
      ByteBuffer b = ByteBuffer.wrap(stack).order(ByteOrder.LITTLE_ENDIAN);
      int n = 0;
      while (n < STACK_DEPTH && b.getLong(n * 8) != 0) {
        ips[n] = b.getLong(n * 8);
        n++;
      }
      return n;
    }
  }
}

package dev.bpfstream.collector.probes;

import static dev.bpfstream.collector.probe.RecordLayout.BODY;
import static dev.bpfstream.collector.probe.RecordLayout.HDR_BYTES;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.MalformedRecordException;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.RecordDecoder;
import dev.bpfstream.collector.probe.RecordLayout;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.event.NamespaceChange;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.NamespaceSyscall;
import dev.bpfstream.event.NamespaceTransition;
import dev.bpfstream.schema.Topic;

/** Namespace lifecycle: clone/clone3/unshare/setns that created or entered namespaces, before and after. */
public final class NamespaceLifecycleProbe extends Probe {
  static final int FLAGS = BODY;
  static final int RETVAL = BODY + 8;
  static final int SYSCALL = BODY + 16;
  static final int AFTER_NS = BODY + 20;
  static final int CHILD_PID = BODY + 52;
  static final int SIZE = BODY + 56;
  static final int UTS_NAME_LEN = 65;
  static final int NODENAME = BODY;
  static final int DOMAINNAME = BODY + UTS_NAME_LEN;
  static final int UTS_SIZE = BODY + 2 * UTS_NAME_LEN;
  private static final NamespaceKind[] KINDS = NamespaceKind.values();
  private static final NamespaceSyscall[] SYSCALLS = NamespaceSyscall.values();

  @Override
  public String name() {
    return "nslifecycle";
  }

  @Override
  public String replaces() {
    return "(none: namespace lifecycle)";
  }

  @Override
  public String description() {
    return "namespaces created or entered by clone/clone3/unshare/setns, with old and new inodes";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.NS_LIFECYCLE);
  }

  @Override
  public List<String> tracepoints() {
    return List.of("syscalls/sys_enter_unshare", "syscalls/sys_exit_unshare", "syscalls/sys_enter_setns",
        "syscalls/sys_exit_setns", "syscalls/sys_enter_clone", "syscalls/sys_enter_clone3", "sched/sched_process_fork",
        "syscalls/sys_exit_sethostname", "syscalls/sys_exit_setdomainname");
  }

  /**
   * Namespace changes are rare and the inventory must see a new namespace while its process still
   * lives (to read its names): every record wakes the reader at once.
   */
  @Override
  protected void writeConfig(ByteBuffer config, ProbeOptions options) {
    config.putLong(RecordLayout.CFG_WAKEUP_BYTES, 1);
  }

  @Override
  public RecordDecoder decoder(DecodeContext context) {
    return new Decoder(context);
  }

  static final class Decoder implements RecordDecoder {
    private final DecodeContext out;
    private final NamespaceChange record = new NamespaceChange();
    private final List<NamespaceTransition> changes = new ArrayList<>();
    private final byte[] name = new byte[UTS_NAME_LEN];

    Decoder(DecodeContext out) {
      this.out = out;
      record.setCtx(TaskContextReader.newContext());
      record.setChanges(changes);
    }

    @Override
    public void decode(ByteBuffer b, int at, int length) {
      if (length >= RecordLayout.HDR_BYTES && b.getInt(at) == RecordLayout.REC_UTS_NAME) {
        utsNames(b, at, length);
        return;
      }
      if (length < SIZE) {
        throw new MalformedRecordException("namespace change record of " + length + " bytes");
      }
      int ctxAt = at + HDR_BYTES;
      out.tasks().read(b, ctxAt, record.getCtx());
      int syscall = b.getInt(at + SYSCALL);
      if (syscall < 0 || syscall >= SYSCALLS.length) {
        throw new MalformedRecordException("namespace syscall " + syscall);
      }
      record.setSyscall(SYSCALLS[syscall]);
      record.setFlags(b.getLong(at + FLAGS));
      record.setRetval(b.getLong(at + RETVAL));
      boolean created = SYSCALLS[syscall] != NamespaceSyscall.SETNS;
      changes.clear();
      for (int i = 0; i < KINDS.length; i++) {
        long before = Integer.toUnsignedLong(b.getInt(ctxAt + RecordLayout.CTX_NS + 4 * i));
        long after = Integer.toUnsignedLong(b.getInt(at + AFTER_NS + 4 * i));
        if (before != after && after != 0) {
          changes.add(new NamespaceTransition(KINDS[i], before, after, created));
        }
      }
      out.emit(Topic.NS_LIFECYCLE, record);
      if (!changes.isEmpty()) {
        out.namespaces().onLifecycle(NamespaceChange.newBuilder(record).build());
      }
    }

    private void utsNames(ByteBuffer b, int at, int length) {
      if (length < UTS_SIZE) {
        throw new MalformedRecordException("UTS name record of " + length + " bytes");
      }
      long uts = Integer.toUnsignedLong(b.getInt(at + HDR_BYTES + RecordLayout.CTX_NS + 4 * NamespaceKind.UTS.ordinal()));
      out.namespaces().onUtsNames(uts, TaskContextReader.cString(b, at + NODENAME, UTS_NAME_LEN, name),
          TaskContextReader.cString(b, at + DOMAINNAME, UTS_NAME_LEN, name));
    }
  }
}

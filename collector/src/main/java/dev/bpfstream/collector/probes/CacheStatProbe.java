package dev.bpfstream.collector.probes;

import java.nio.ByteBuffer;
import java.util.List;

import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.probe.CounterDeltas;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.DrainedProbe;
import dev.bpfstream.collector.probe.LoadedProbe;
import dev.bpfstream.collector.probe.ProbeOption;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.RecordLayout;
import dev.bpfstream.event.CacheStats;
import dev.bpfstream.schema.Topic;

/**
 * cachestat: page-cache misses, dirtied folios, evictions and (estimated) accesses and hits per
 * interval, host-wide (cgroupId 0) and per cgroup v2.
 *
 * <p>Exact on this kernel (tracepoints count every event): misses = pages added to the page cache
 * (mm_filemap_add_to_page_cache; this includes readahead and pages a write creates), dirtied =
 * folios dirtied (writeback_dirty_folio), evicted = pages removed (mm_filemap_delete_from_page_cache).
 * Estimated: accesses = pages buffered reads asked for (mm_filemap_get_pages, once per read, clamped
 * to the file size) plus file page faults: counting every access exactly would take a kprobe on
 * mark_page_accessed(), which this kernel does not have. hits = accesses - (misses - dirtied),
 * clamped to [0, accesses].
 */
public final class CacheStatProbe extends DrainedProbe {
  static final int MISSES = 0;
  static final int DIRTIED = 1;
  static final int EVICTED = 2;
  static final int ACCESSES = 3;
  static final int FIELDS = 4;
  static final int CFG_PER_CGROUP = RecordLayout.CFG_COMMON_BYTES;
  static final int CFG_BYTES = RecordLayout.CFG_COMMON_BYTES + 8;

  private CounterDeltas counts;
  private long intervalStartNs = System.currentTimeMillis() * 1_000_000L;

  @Override
  public String name() {
    return "cachestat";
  }

  @Override
  public String replaces() {
    return "cachestat";
  }

  @Override
  public String description() {
    return "page-cache misses, dirties, evictions, accesses and hits per interval, host-wide and per cgroup";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.CACHESTAT);
  }

  @Override
  public List<String> tracepoints() {
    return List.of("filemap/mm_filemap_add_to_page_cache", "filemap/mm_filemap_delete_from_page_cache",
        "writeback/writeback_dirty_folio", "filemap/mm_filemap_fault", "filemap/mm_filemap_get_pages");
  }

  @Override
  public List<ProbeOption> options() {
    return List.of(
        ProbeOption.flag("per-cgroup", true, "one record per cgroup besides the host-wide one"),
        ProbeOption.count("max-cgroups", 4096, 16, 1 << 20, "cgroups counted in the kernel (idle ones are dropped when 3/4 full)"));
  }

  @Override
  public String notes() {
    return "exact: misses (pages added), dirtied (folios), evicted (pages removed); estimated: accesses "
        + "(pages asked for by buffered reads + file faults) and hits = accesses - (misses - dirtied)";
  }

  @Override
  protected int configBytes() {
    return CFG_BYTES;
  }

  @Override
  protected void writeConfig(ByteBuffer config, ProbeOptions options) {
    config.putInt(CFG_PER_CGROUP, options.flag(this, "per-cgroup") ? 1 : 0);
  }

  @Override
  protected void prepare(BpfObject object, ProbeOptions options) {
    object.setMaxEntries("counts", (int) options.number(this, "max-cgroups"));
  }

  /** Reads that missed are the page-cache insertions not made by writes; the rest of the accesses hit. */
  static long hits(long accesses, long misses, long dirtied) {
    long readMisses = Math.max(0, misses - dirtied);
    return Math.max(0, Math.min(accesses, accesses - readMisses));
  }

  @Override
  public synchronized void onInterval(LoadedProbe loaded, DecodeContext context) {
    if (counts == null) {
      counts = new CounterDeltas(loaded.object().map("counts"), FIELDS);
    }
    long end = System.currentTimeMillis() * 1_000_000L;
    List<CounterDeltas.Delta> deltas = counts.drain();
    long[] host = new long[FIELDS];
    for (CounterDeltas.Delta d : deltas) {
      long cgroup = d.key().getLong(0);
      for (int i = 0; i < FIELDS; i++) {
        host[i] += d.values()[i];
      }
      if (cgroup != 0) {
        context.emit(Topic.CACHESTAT, record(context, cgroup, d.values(), intervalStartNs, end));
      }
    }
    // Host-wide every interval, even when idle: a zero is a measurement, not a gap.
    context.emit(Topic.CACHESTAT, record(context, 0, host, intervalStartNs, end));
    intervalStartNs = end;
  }

  private static CacheStats record(DecodeContext context, long cgroup, long[] v, long start, long end) {
    return CacheStats.newBuilder()
        .setHostId(context.tasks().host().hostId())
        .setHostname(context.tasks().host().hostname())
        .setIntervalStartNs(start)
        .setIntervalEndNs(end)
        .setCgroupId(cgroup)
        .setContainerId(cgroup == 0 ? null : context.tasks().containerOf(cgroup))
        .setMisses(v[MISSES])
        .setDirtied(v[DIRTIED])
        .setEvicted(v[EVICTED])
        .setAccesses(v[ACCESSES])
        .setHits(hits(v[ACCESSES], v[MISSES], v[DIRTIED]))
        .setHitsEstimated(true)
        .setAccessesEstimated(true)
        .build();
  }
}

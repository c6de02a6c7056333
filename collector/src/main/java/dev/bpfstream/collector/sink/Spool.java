package dev.bpfstream.collector.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A bounded on-disk queue of records waiting for Kafka, in segment files replayed oldest first.
 * Each entry is written with one write(2), so it survives a kill -9 of the collector (not a power
 * loss); a torn last entry is cut off at the next open by its checksum.
 *
 * <p>Entry: {@code u32 length | u16 sourceLen | source | u16 topicLen | topic | u16 keyLen | key |
 * u32 valueLen | value | u32 crc32c}, little-endian; the length covers what follows it.
 * When the spool is full the policy decides: BLOCK waits for space (the reader stalls and the kernel
 * counts what the ring cannot hold), DROP_OLDEST deletes the oldest segment, DROP_NEWEST refuses
 * the new record. Every dropped record is counted by its source.
 *
 * <p>At open, an entry whose lengths or checksum do not hold (a torn tail, bytes changed on disk) is
 * cut and counted under {@link #CORRUPT_SOURCE}; the entries after it are kept. A segment cut exactly
 * between two entries (by something other than the spool) cannot be told from a shorter one.
 */
public final class Spool implements AutoCloseable {
  public enum Policy { BLOCK, DROP_OLDEST, DROP_NEWEST }

  /** One spooled record. */
  public record Entry(String source, String topic, byte[] key, byte[] value) {
  }

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Spool.class);
  private static final String SUFFIX = ".spool";
  /** The source corrupt regions found at open are counted under (at least one record each). */
  public static final String CORRUPT_SOURCE = "spool-corrupt";
  private static final int MAX_ENTRY = 32 << 20;

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final Policy policy;
  private final Deque<Segment> segments = new ArrayDeque<>();
  private final Map<String, Long> dropped = new HashMap<>();
  private ByteBuffer buffer = ByteBuffer.allocateDirect(64 << 10).order(ByteOrder.LITTLE_ENDIAN);
  private long bytes;
  private long records;
  private long nextId;
  private long corruptBytes;
  private boolean closed;
  private java.util.function.ObjLongConsumer<String> dropListener = (source, n) -> { };

  private static final class Segment {
    final long id;
    final Path path;
    FileChannel out; // null once sealed
    long bytes;
    long records;
    final Map<String, Long> bySource = new HashMap<>();

    Segment(long id, Path path) {
      this.id = id;
      this.path = path;
    }
  }

  private Spool(Path dir, long maxBytes, long segmentBytes, Policy policy) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.policy = policy;
  }

  /** Opens (or creates) the spool in {@code dir}, recovering what an earlier process left. */
  public static Spool open(Path dir, long maxBytes, Policy policy) {
    return open(dir, maxBytes, Math.max(64 << 10, Math.min(16L << 20, maxBytes / 8)), policy);
  }

  static Spool open(Path dir, long maxBytes, long segmentBytes, Policy policy) {
    Spool s = new Spool(dir, maxBytes, segmentBytes, policy);
    try {
      Files.createDirectories(dir);
      List<Path> files;
      try (Stream<Path> l = Files.list(dir)) {
        files = l.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
      }
      for (Path f : files) {
        s.recover(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("spool " + dir + ": " + e.getMessage(), e);
    }
    return s;
  }

  private void recover(Path file) throws IOException {
    String name = file.getFileName().toString();
    long id;
    try {
      id = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      id = -1;
    }
    if (id < 0 || !Files.isRegularFile(file)) {
      log.warn("spool {}: {} is not a spool segment; left alone", dir, name);
      return;
    }
    Segment seg = new Segment(id, file);
    long size = Files.size(file);
    // Entries that check out, as [start, end) ranges; what lies between them is corrupt.
    List<long[]> good = new ArrayList<>();
    long lostBytes = 0;
    int lostRegions = 0;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = in.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, Integer.MAX_VALUE)).order(ByteOrder.LITTLE_ENDIAN);
      int limit = b.limit();
      int pos = 0;
      while (pos < limit) {
        int n = entryBytesAt(b, pos);
        if (n > 0) {
          good.add(new long[] {pos, pos + n});
          seg.records++;
          seg.bySource.merge(sourceAt(b, pos), 1L, Long::sum);
          pos += n;
          continue;
        }
        // A bad entry: a torn tail (killed mid-write) or bytes changed on disk. Skip to the next
        // offset where a whole entry checks out, so one bad entry costs only itself.
        int next = pos + 1;
        while (next < limit && entryBytesAt(b, next) < 0) {
          next++;
        }
        lostBytes += next - pos;
        lostRegions++;
        pos = next;
      }
      lostBytes += size - limit;
    }
    if (lostRegions > 0) {
      // At least one record per corrupt region is gone: counted, never silent.
      countDrop(CORRUPT_SOURCE, lostRegions);
      corruptBytes += lostBytes;
      log.warn("spool {}: {} corrupt region(s), {} bytes, cut from {}; {} record(s) kept", dir, lostRegions, lostBytes,
          name, seg.records);
    }
    if (seg.records == 0) {
      Files.delete(file);
      return;
    }
    long keptEnd = good.get(good.size() - 1)[1];
    if (keptEnd == size - lostBytes) {
      if (keptEnd < size) {
        try (FileChannel t = FileChannel.open(file, StandardOpenOption.WRITE)) {
          t.truncate(keptEnd); // only the tail was bad: a torn last entry from a crash mid-write
        }
      }
    } else {
      keepOnly(file, good);
    }
    seg.bytes = size - lostBytes;
    segments.add(seg);
    bytes += seg.bytes;
    records += seg.records;
    nextId = Math.max(nextId, id + 1);
  }

  /** Rewrites {@code file} with just the {@code good} ranges, replacing it in one rename. */
  private static void keepOnly(Path file, List<long[]> good) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
         FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
             StandardOpenOption.WRITE)) {
      for (long[] r : good) {
        long at = r[0];
        while (at < r[1]) {
          at += in.transferTo(at, r[1] - at, out);
        }
      }
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The bytes of the whole entry starting at {@code pos} when its lengths agree and its checksum holds; -1 otherwise. */
  static int entryBytesAt(ByteBuffer b, int pos) {
    int limit = b.limit();
    if (limit - pos < 4 + 18) {
      return -1;
    }
    int length = b.getInt(pos);
    if (length < 18 || length > MAX_ENTRY || length > limit - pos - 4) {
      return -1;
    }
    int at = pos + 4;
    int end = at + length - 4; // where the checksum starts
    for (int field = 0; field < 3; field++) { // source, topic, key: u16 length, bytes
      if (end - at < 2) {
        return -1;
      }
      at += 2 + (b.getShort(at) & 0xffff);
    }
    if (end - at < 4 || b.getInt(at) != end - at - 4) {
      return -1;
    }
    CRC32C crc = new CRC32C();
    crc.update(b.duplicate().position(pos + 4).limit(end));
    return (int) crc.getValue() == b.getInt(end) ? length + 4 : -1;
  }

  private static String sourceAt(ByteBuffer b, int pos) {
    byte[] s = new byte[b.getShort(pos + 4) & 0xffff];
    b.get(pos + 6, s);
    return new String(s, StandardCharsets.UTF_8);
  }

  /**
   * Appends a record. Returns false when it was dropped (DROP_NEWEST and full, or the spool closed
   * while BLOCK waited); the drop is counted.
   */
  public synchronized boolean append(String source, String topic, byte[] key, byte[] value) throws InterruptedException {
    byte[] s = source.getBytes(StandardCharsets.UTF_8);
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    byte[] k = key == null ? new byte[0] : key;
    int length = 2 + s.length + 2 + t.length + 2 + k.length + 4 + value.length + 4;
    if (length > MAX_ENTRY || length + 4 > maxBytes) {
      countDrop(source, 1);
      return false;
    }
    while (bytes + length + 4 > maxBytes) {
      if (closed || policy == Policy.DROP_NEWEST) {
        countDrop(source, 1);
        return false;
      }
      if (policy == Policy.DROP_OLDEST) {
        dropOldest();
      } else {
        wait(100);
      }
    }
    Segment seg = active();
    if (buffer.capacity() < length + 4) {
      buffer = ByteBuffer.allocateDirect(length + 4).order(ByteOrder.LITTLE_ENDIAN);
    }
    buffer.clear();
    buffer.putInt(length);
    buffer.putShort((short) s.length).put(s);
    buffer.putShort((short) t.length).put(t);
    buffer.putShort((short) k.length).put(k);
    buffer.putInt(value.length).put(value);
    CRC32C crc = new CRC32C();
    ByteBuffer body = buffer.duplicate().flip().position(4);
    crc.update(body);
    buffer.putInt((int) crc.getValue());
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        seg.out.write(buffer);
      }
    } catch (IOException e) {
      countDrop(source, 1);
      throw new UncheckedIOException("spool write to " + seg.path + ": " + e.getMessage(), e);
    }
    seg.bytes += length + 4;
    seg.records++;
    seg.bySource.merge(source, 1L, Long::sum);
    bytes += length + 4;
    records++;
    return true;
  }

  /**
   * The oldest segment's records for replay, sealing the active segment if it is the only one.
   * Null when empty. Call {@link #release} once all of them are in Kafka.
   */
  public synchronized Batch oldest() {
    Segment seg = segments.peekFirst();
    if (seg == null) {
      return null;
    }
    seal(seg);
    List<Entry> entries = new ArrayList<>();
    try (FileChannel in = FileChannel.open(seg.path, StandardOpenOption.READ)) {
      for (Entry e = read(in); e != null; e = read(in)) {
        entries.add(e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("spool read of " + seg.path + ": " + e.getMessage(), e);
    }
    return new Batch(seg.id, entries);
  }

  /** A segment handed out for replay. */
  public record Batch(long segmentId, List<Entry> entries) {
  }

  /** The batch is in Kafka: delete its segment and wake writers waiting for space. */
  public synchronized void release(Batch batch) {
    Segment seg = segments.peekFirst();
    if (seg == null || seg.id != batch.segmentId()) {
      return; // dropped meanwhile (DROP_OLDEST)
    }
    remove(seg);
    notifyAll();
  }

  private void dropOldest() {
    Segment seg = segments.peekFirst();
    if (seg == null) {
      return;
    }
    seg.bySource.forEach(this::countDrop);
    remove(seg);
  }

  private void remove(Segment seg) {
    segments.removeFirst();
    seal(seg);
    bytes -= seg.bytes;
    records -= seg.records;
    try {
      Files.deleteIfExists(seg.path);
    } catch (IOException e) {
      throw new UncheckedIOException("spool delete of " + seg.path + ": " + e.getMessage(), e);
    }
  }

  private Segment active() {
    Segment last = segments.peekLast();
    if (last != null && last.out != null && last.bytes < segmentBytes) {
      return last;
    }
    if (last != null) {
      seal(last);
    }
    Segment seg = new Segment(nextId, dir.resolve(String.format("%020d%s", nextId, SUFFIX)));
    nextId++;
    try {
      seg.out = FileChannel.open(seg.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("spool segment " + seg.path + ": " + e.getMessage(), e);
    }
    segments.addLast(seg);
    return seg;
  }

  private static void seal(Segment seg) {
    if (seg.out != null) {
      try {
        seg.out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      seg.out = null;
    }
  }

  private void countDrop(String source, long n) {
    dropped.merge(source, n, Long::sum);
    dropListener.accept(source, n);
  }

  /** Told of every record the policy drops, by source (called under the spool's lock). */
  public synchronized void onDrop(java.util.function.ObjLongConsumer<String> listener) {
    this.dropListener = listener;
  }

  /** Like {@link #append} but never waits: under BLOCK a full spool drops (for callers that must not block). */
  public synchronized boolean appendNow(String source, String topic, byte[] key, byte[] value) {
    int length = entryBytes(source, topic, key, value);
    if (policy == Policy.BLOCK && bytes + length > maxBytes) {
      countDrop(source, 1);
      return false;
    }
    try {
      return append(source, topic, key, value);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      countDrop(source, 1);
      return false;
    }
  }

  private static int entryBytes(String source, String topic, byte[] key, byte[] value) {
    return 4 + 2 + source.length() * 3 + 2 + topic.length() * 3 + 2 + (key == null ? 0 : key.length) + 4 + value.length + 4;
  }

  public synchronized long droppedTotal() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }

  private static Entry read(FileChannel in) throws IOException {
    ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    if (readFully(in, len) < 4) {
      return null;
    }
    int length = len.flip().getInt();
    if (length < 18 || length > MAX_ENTRY) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    if (readFully(in, b) < length) {
      return null;
    }
    b.flip();
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, length - 4);
    if ((int) crc.getValue() != b.getInt(length - 4)) {
      return null;
    }
    try {
      String source = string(b);
      String topic = string(b);
      byte[] key = new byte[b.getShort() & 0xffff];
      b.get(key);
      byte[] value = new byte[b.getInt()];
      b.get(value);
      return new Entry(source, topic, key, value);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String string(ByteBuffer b) {
    byte[] s = new byte[b.getShort() & 0xffff];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private static int readFully(FileChannel in, ByteBuffer b) throws IOException {
    int total = 0;
    while (b.hasRemaining()) {
      int n = in.read(b);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  /** Bytes of corrupt or torn entries cut from the segments found at open. */
  public synchronized long corruptBytes() {
    return corruptBytes;
  }

  public synchronized long bytes() {
    return bytes;
  }

  public synchronized long records() {
    return records;
  }

  public synchronized boolean isEmpty() {
    return records == 0;
  }

  /**
   * Records dropped by the policy, by source, since this process opened the spool; corrupt regions
   * cut at open count as at least one record each under {@link #CORRUPT_SOURCE}.
   */
  public synchronized Map<String, Long> dropped() {
    return Map.copyOf(dropped);
  }

  public Policy policy() {
    return policy;
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Segment s : segments) {
      seal(s);
    }
    notifyAll();
  }
}

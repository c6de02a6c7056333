package dev.bpfstream.collector.symbol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A HotSpot JVM's perf data (the hsperfdata_USER/PID file jps and jstat read): the counters and
 * strings the JVM publishes about itself, among them its options as it took them (command line,
 * argument files and the JAVA_TOOL_OPTIONS, _JAVA_OPTIONS and JDK_JAVA_OPTIONS variables), whether
 * it finished starting and whether its attach mechanism is enabled. Only byte-string and long
 * entries are kept.
 */
final class HotSpotPerfData {
  /** The JVM's default file is 32 KiB (-XX:PerfDataMemorySize); a larger file is not read. */
  static final int MAX_BYTES = 1 << 20;
  private static final int MAGIC = 0xcafec0c0;
  private static final int PROLOGUE_BYTES = 32;
  private static final int ENTRY_HEADER_BYTES = 20;

  private final Map<String, Object> entries;
  private final boolean accessible;

  private HotSpotPerfData(Map<String, Object> entries, boolean accessible) {
    this.entries = entries;
    this.accessible = accessible;
  }

  static HotSpotPerfData read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > MAX_BYTES || size < PROLOGUE_BYTES) {
        throw new IOException(file + ": " + size + " bytes, not HotSpot perf data");
      }
      ByteBuffer b = ByteBuffer.allocate((int) size);
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // read it all
      }
      return parse(b.flip());
    }
  }

  /** PerfDataPrologue, then PerfDataEntry records (see HotSpot's perfMemory.hpp). */
  static HotSpotPerfData parse(ByteBuffer b) throws IOException {
    if (b.limit() < PROLOGUE_BYTES || b.order(ByteOrder.BIG_ENDIAN).getInt(0) != MAGIC) {
      throw new IOException("not HotSpot perf data (magic)");
    }
    b.order(b.get(4) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    boolean accessible = b.get(7) != 0;
    int offset = b.getInt(24);
    int count = b.getInt(28);
    Map<String, Object> entries = new HashMap<>();
    for (int i = 0; i < count && offset >= PROLOGUE_BYTES && offset <= b.limit() - ENTRY_HEADER_BYTES; i++) {
      int length = b.getInt(offset);
      int nameOffset = b.getInt(offset + 4);
      int vectorLength = b.getInt(offset + 8);
      byte type = b.get(offset + 12);
      int dataOffset = b.getInt(offset + 16);
      if (length < ENTRY_HEADER_BYTES || length > b.limit() - offset) {
        throw new IOException("HotSpot perf data: entry " + i + " runs past the end");
      }
      String name = cString(b, offset + nameOffset, offset + length);
      int data = offset + dataOffset;
      if (vectorLength > 0 && type == 'B' && dataOffset > 0 && vectorLength <= offset + length - data) {
        entries.put(name, cString(b, data, data + vectorLength));
      } else if (vectorLength == 0 && type == 'J' && dataOffset > 0 && data + 8 <= offset + length) {
        entries.put(name, b.getLong(data));
      }
      offset += length;
    }
    return new HotSpotPerfData(entries, accessible);
  }

  private static String cString(ByteBuffer b, int from, int limit) {
    int end = from;
    while (end < limit && b.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[Math.max(0, end - from)];
    b.get(from, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The JVM marks its perf data accessible once the file is set up. */
  boolean accessible() {
    return accessible;
  }

  /** A string entry, or "" when absent. */
  String string(String name) {
    return entries.get(name) instanceof String s ? s : "";
  }

  /** A long entry, or 0 when absent. */
  long number(String name) {
    return entries.get(name) instanceof Long l ? l : 0;
  }

  /**
   * Whether the JVM finished creating itself (its signal dispatcher runs from before that) and
   * published what the checks read: it sets sun.rt.vmInitDoneTime before its options and
   * properties are in the file, so a JVM seen in between would look like one without -Xrs.
   */
  boolean started() {
    return number("sun.rt.vmInitDoneTime") > 0 && entries.containsKey("java.rt.vmArgs") && entries.containsKey("java.rt.vmFlags")
        && !string("java.property.java.vm.specification.version").isEmpty() && !string("sun.rt.jvmCapabilities").isEmpty();
  }

  /** The first of the capabilities jps and the attach API read: whether the attach mechanism is enabled. */
  boolean attachable() {
    return string("sun.rt.jvmCapabilities").startsWith("1");
  }

  /** The options the JVM took, from wherever they came. */
  String options() {
    return (string("java.rt.vmArgs") + " " + string("java.rt.vmFlags")).trim();
  }

  /** The Java SE version (8, 11, 17, ...), 0 when unknown. */
  int featureVersion() {
    String v = string("java.property.java.vm.specification.version");
    try {
      return Integer.parseInt(v.startsWith("1.") ? v.substring(2) : v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

package dev.bpfstream.collector.symbol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The function symbols (.symtab and .dynsym) and loadable segments of one ELF64 little-endian file:
 * enough to name a code address of a process that maps the file, and to find the file offset of a
 * function for a uprobe. Read once, then immutable and shareable between threads.
 */
public final class ElfSymbols {
  private static final int PT_LOAD = 1;
  private static final int SHT_SYMTAB = 2;
  private static final int SHT_DYNSYM = 11;
  private static final int STT_FUNC = 2;
  private static final int STT_GNU_IFUNC = 10;
  private static final int SHN_UNDEF = 0;
  private static final int SHN_XINDEX = 0xffff;
  /** Symbol entries read per file at most: overlapping tables in a crafted file must not cost minutes. */
  static final long MAX_SYMBOL_ENTRIES = 16L << 20;

  /** A PT_LOAD program header: file bytes [offset, offset+fileSize) appear at vaddr. */
  public record Segment(long offset, long vaddr, long fileSize, long memSize) {
  }

  private final List<Segment> segments;
  private final long[] addresses;   // sorted, unique
  private final long[] sizes;
  private final String[] names;

  private ElfSymbols(List<Segment> segments, long[] addresses, long[] sizes, String[] names) {
    this.segments = segments;
    this.addresses = addresses;
    this.sizes = sizes;
    this.names = names;
  }

  /** Reads {@code path}; an IOException says why it is not a readable ELF64 little-endian file. */
  public static ElfSymbols read(Path path) throws IOException {
    if (!java.nio.file.Files.isRegularFile(path)) {
      // A process can put a FIFO where its mapped file was: opening that would block the drain.
      throw new IOException(path + ": not a regular file");
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new IOException(path + ": larger than 2 GiB");
      }
      ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
      return parse(b, path.toString());
    }
  }

  static ElfSymbols parse(ByteBuffer b, String what) throws IOException {
    try {
      if (b.limit() < 64 || b.getInt(0) != 0x464c457f) {
        throw new IOException(what + ": not an ELF file");
      }
      if (b.get(4) != 2 || b.get(5) != 1) {
        throw new IOException(what + ": not ELF64 little-endian");
      }
      long phoff = b.getLong(32);
      long shoff = b.getLong(40);
      int phentsize = b.getShort(54) & 0xffff;
      int phnum = b.getShort(56) & 0xffff;
      int shentsize = b.getShort(58) & 0xffff;
      int shnum = b.getShort(60) & 0xffff;
      // Headers smaller than ELF64's overlap: a crafted file would have one symbol table read thousands of times.
      if ((phnum > 0 && phentsize < 56) || (shoff != 0 && shentsize < 64)) {
        throw new IOException(what + ": corrupt ELF (header entries of " + phentsize + " and " + shentsize + " bytes)");
      }

      List<Segment> segments = new ArrayList<>();
      for (int i = 0; i < phnum; i++) {
        int at = Math.toIntExact(phoff + (long) i * phentsize);
        if (b.getInt(at) == PT_LOAD) {
          segments.add(new Segment(b.getLong(at + 8), b.getLong(at + 16), b.getLong(at + 32), b.getLong(at + 40)));
        }
      }

      if (shoff != 0 && shnum == 0 && shentsize > 0) {
        shnum = Math.toIntExact(b.getLong(Math.toIntExact(shoff) + 32)); // extended numbering: section 0's sh_size
      }
      Collected c = new Collected(what);
      java.util.Set<Long> tablesRead = new java.util.HashSet<>();
      long visited = 0;
      for (int i = 0; i < shnum && shoff != 0; i++) {
        int sh = Math.toIntExact(shoff + (long) i * shentsize);
        int type = b.getInt(sh + 4);
        if (type != SHT_SYMTAB && type != SHT_DYNSYM) {
          continue;
        }
        long symOff = b.getLong(sh + 24);
        long symSize = b.getLong(sh + 32);
        int link = b.getInt(sh + 40);
        long entSize = b.getLong(sh + 56);
        if (entSize < 24 || link <= 0 || link >= shnum || !tablesRead.add(symOff)) {
          continue; // malformed, or a table another section header already named
        }
        int strSh = Math.toIntExact(shoff + (long) link * shentsize);
        long strOff = b.getLong(strSh + 24);
        long strSize = b.getLong(strSh + 32);
        for (long s = 0; s + 24 <= symSize; s += entSize) {
          if (++visited > MAX_SYMBOL_ENTRIES) {
            throw new IOException(what + ": corrupt ELF (more than " + MAX_SYMBOL_ENTRIES + " symbol entries)");
          }
          int at = Math.toIntExact(symOff + s);
          int info = b.get(at + 4) & 0xff;
          int kind = info & 0xf;
          int shndx = b.getShort(at + 6) & 0xffff;
          long value = b.getLong(at + 8);
          if ((kind != STT_FUNC && kind != STT_GNU_IFUNC) || shndx == SHN_UNDEF || value == 0) {
            continue;
          }
          int nameAt = b.getInt(at);
          if (nameAt < 0 || nameAt >= strSize) {
            continue;
          }
          c.add(value, b.getLong(at + 16), b, Math.toIntExact(strOff + nameAt), Math.toIntExact(strOff + strSize));
        }
      }
      return c.build(segments);
    } catch (IndexOutOfBoundsException | ArithmeticException e) {
      throw new IOException(what + ": truncated or corrupt ELF (" + e.getMessage() + ")");
    }
  }

  /** The symbol covering {@code vaddr}, or null. */
  public String symbolAt(long vaddr) {
    int i = Arrays.binarySearch(addresses, vaddr);
    if (i < 0) {
      i = -i - 2;
    }
    if (i < 0) {
      return null;
    }
    long end = sizes[i] > 0 ? addresses[i] + sizes[i] : (i + 1 < addresses.length ? addresses[i + 1] : addresses[i] + 1);
    return Long.compareUnsigned(vaddr, end) < 0 ? names[i] : null;
  }

  /** The virtual address at which the byte at file offset {@code offset} is loaded, or -1. */
  public long vaddrOfFileOffset(long offset) {
    for (Segment s : segments) {
      if (offset >= s.offset() && offset < s.offset() + s.fileSize()) {
        return offset - s.offset() + s.vaddr();
      }
    }
    return -1;
  }

  /** The file offset of function {@code name} (what a uprobe attaches at), or -1. */
  public long fileOffsetOf(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        long v = addresses[i];
        for (Segment s : segments) {
          if (v >= s.vaddr() && v < s.vaddr() + s.fileSize()) {
            return v - s.vaddr() + s.offset();
          }
        }
      }
    }
    return -1;
  }

  public int symbolCount() {
    return names.length;
  }

  public List<Segment> segments() {
    return segments;
  }

  /**
   * Symbols in file order, deduplicated by address (the sized one wins) once sorted. Bounded: the
   * files are whatever a process maps, so a crafted one must not exhaust the collector's memory.
   */
  private static final class Collected {
    /** Above any binary profiled in practice; a file with more is left unsymbolized (and counted). */
    static final int MAX_SYMBOLS = 2 << 20;
    /** Longer names (none real: mangled C++ stays under a few hundred bytes) are cut. */
    static final int MAX_NAME_BYTES = 4096;
    static final long MAX_TOTAL_NAME_BYTES = 128L << 20;

    private final String what;
    private long[] addr = new long[1024];
    private long[] size = new long[1024];
    private String[] name = new String[1024];
    private int n;
    private long nameBytes;

    Collected(String what) {
      this.what = what;
    }

    void add(long a, long s, ByteBuffer b, int from, int limit) throws IOException {
      int end = from;
      int stop = (int) Math.min(limit, (long) from + MAX_NAME_BYTES);
      while (end < stop && b.get(end) != 0) {
        end++;
      }
      nameBytes += end - from;
      if (n == MAX_SYMBOLS || nameBytes > MAX_TOTAL_NAME_BYTES) {
        throw new IOException(what + ": more symbols than any real binary has (" + n + " symbols, " + nameBytes + " bytes of names)");
      }
      byte[] bytes = new byte[end - from];
      b.get(from, bytes);
      if (n == addr.length) {
        addr = Arrays.copyOf(addr, n * 2);
        size = Arrays.copyOf(size, n * 2);
        name = Arrays.copyOf(name, n * 2);
      }
      addr[n] = a;
      size[n] = s;
      name[n] = new String(bytes, StandardCharsets.UTF_8);
      n++;
    }

    ElfSymbols build(List<Segment> segments) {
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (x, y) -> {
        int c = Long.compareUnsigned(addr[x], addr[y]);
        return c != 0 ? c : Long.compare(size[y], size[x]);
      });
      long[] a = new long[n];
      long[] s = new long[n];
      String[] nm = new String[n];
      int m = 0;
      for (int k = 0; k < n; k++) {
        int i = order[k];
        if (m > 0 && a[m - 1] == addr[i]) {
          continue; // an alias at the same address (e.g. the .dynsym copy of a .symtab entry)
        }
        a[m] = addr[i];
        s[m] = size[i];
        nm[m] = name[i];
        m++;
      }
      return new ElfSymbols(List.copyOf(segments), Arrays.copyOf(a, m), Arrays.copyOf(s, m), Arrays.copyOf(nm, m));
    }
  }
}

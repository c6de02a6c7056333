package dev.bpfstream.collector.symbol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.bpfstream.fuzz.BoundedCall;
import dev.bpfstream.fuzz.ByteMutation;
import dev.bpfstream.fuzz.TextMutation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The files the profiler reads to name user frames are whatever a traced process maps or writes:
 * ELF binaries (/proc/PID/root/..., map_files) and JIT maps (/tmp/perf-PID.map). Crafted and mutated
 * ones are read or refused with an IOException in one line, in bounded time and memory: never a
 * crash of the collector, never a drain that hangs.
 */
class SymbolFilesFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(20));
  private static final List<byte[]> ELF_SEEDS = seedFiles();

  @Provide
  Arbitrary<byte[]> elfSeeds() {
    return Arbitraries.of(ELF_SEEDS);
  }

  @Provide
  Arbitrary<List<ByteMutation>> byteMutations() {
    return ByteMutation.some();
  }

  @Provide
  Arbitrary<List<TextMutation>> textMutations() {
    return TextMutation.some();
  }

  @Property(tries = 2000)
  void mutatedElfFilesAreReadOrRefused(@ForAll("elfSeeds") byte[] seed, @ForAll("byteMutations") List<ByteMutation> mutations) {
    byte[] elf = ByteMutation.applyAll(seed, mutations);
    BoundedCall.Outcome<ElfSymbols> o = CALLS.run(() -> ElfSymbols.parse(ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN), "x.so"),
        mutations);
    if (o.thrown() != null) {
      assertThat(o.thrown()).as("%s", mutations).isInstanceOf(IOException.class);
      assertThat(o.thrown().getMessage()).startsWith("x.so: ").doesNotContain("\n");
      return;
    }
    ElfSymbols s = o.value();
    assertThat(s.symbolCount()).isLessThanOrEqualTo(elf.length);
    s.symbolAt(0x401000);
    s.fileOffsetOf("f1");
    s.vaddrOfFileOffset(0x1000);
  }

  @Property(tries = 1000)
  void mutatedPerfMapsAreReadLineByLine(@ForAll("textMutations") List<TextMutation> mutations) {
    String text = TextMutation.applyAll("7f0012340000 40 LFoo;bar\n0x7f0012340040 1a0 Interpreter\n7f0012350000 10 [unknown] x y\n", mutations);
    BoundedCall.Outcome<PerfMap> o = CALLS.run(() -> PerfMap.parse(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1))), text);
    assertThat(o.thrown()).as(text).isNull();
    assertThat(o.value().size()).isLessThanOrEqualTo(3 + 4);
    o.value().symbolAt(0x7f0012340010L);
  }

  @Property(tries = 500)
  void randomBytesAsPerfMapOrElfAreHarmless(@ForAll @Size(max = 400) byte[] bytes) {
    BoundedCall.Outcome<PerfMap> p = CALLS.run(() -> PerfMap.parse(ByteBuffer.wrap(bytes)), HexFormat.of().formatHex(bytes));
    assertThat(p.thrown()).isNull();
    BoundedCall.Outcome<ElfSymbols> e = CALLS.run(() -> ElfSymbols.parse(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), "r"),
        HexFormat.of().formatHex(bytes));
    assertThat(e.thrown()).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(IOException.class));
  }

  @Example
  void sectionHeadersThatOverlapAreRefused() {
    byte[] elf = ElfImage.functions(50).build();
    ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putShort(58, (short) 1); // e_shentsize 1: every byte a header
    assertThatThrownBy(() -> ElfSymbols.parse(ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN), "x.so"))
        .isInstanceOf(IOException.class).hasMessage("x.so: corrupt ELF (header entries of 56 and 1 bytes)");
  }

  @Example
  void oneSymbolTableNamedByThousandsOfHeadersIsReadOnce() throws IOException {
    ElfSymbols s = ElfSymbols.parse(ByteBuffer.wrap(ElfImage.functions(200).symtabHeaders(60_000, 0).build())
        .order(ByteOrder.LITTLE_ENDIAN), "x.so");
    assertThat(s.symbolCount()).isEqualTo(200);
  }

  @Example
  void tablesOverlappingByOneEntryStopAtTheBoundInsteadOfTakingMinutes() {
    // 60000 headers, each naming the same 2000 entries shifted by one: 120M entries to read.
    byte[] elf = ElfImage.functions(2000).symtabHeaders(60_000, 24).build();
    BoundedCall.Outcome<ElfSymbols> o = CALLS.run(() -> ElfSymbols.parse(ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN), "x.so"), "overlap");
    assertThat(o.thrown()).isInstanceOf(IOException.class)
        .hasMessageMatching("x\\.so: (corrupt ELF \\(more than \\d+ symbol entries\\)|more symbols than any real binary has .*)");
  }

  @Example
  void aNameWithoutItsEndIsCutNotReadToTheEndOfTheFile() throws IOException {
    ElfImage image = ElfImage.functions(3);
    image.strtabFiller = 1 << 20; // a megabyte of name bytes without a NUL after the last name
    ElfSymbols s = ElfSymbols.parse(ByteBuffer.wrap(image.build()).order(ByteOrder.LITTLE_ENDIAN), "x.so");
    assertThat(s.symbolCount()).isEqualTo(3);
  }

  @Example
  void aPerfMapLargerThanAnyJitWritesOrNotAFileIsNotRead() throws Exception {
    Path dir = Files.createTempDirectory("perfmap");
    try {
      Path big = dir.resolve("perf-1.map");
      try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
        f.setLength(PerfMap.MAX_BYTES + 1); // sparse: costs the writer nothing
      }
      assertThatThrownBy(() -> PerfMap.read(big)).isInstanceOf(IOException.class).hasMessageContaining("more than a JIT writes");
      Path fifo = dir.resolve("perf-2.map");
      if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
        BoundedCall.Outcome<PerfMap> o = CALLS.run(() -> PerfMap.read(fifo), "fifo");
        assertThat(o.thrown()).isInstanceOf(IOException.class).hasMessageContaining("not a regular file");
        BoundedCall.Outcome<ElfSymbols> e = CALLS.run(() -> ElfSymbols.read(fifo), "fifo");
        assertThat(e.thrown()).isInstanceOf(IOException.class).hasMessageContaining("not a regular file");
      }
      assertThat(PerfMap.parse(ByteBuffer.wrap(("1000 10 ok\n" + "2000 10 " + "x".repeat(10_000) + "\n3000 10 fine\r\n")
          .getBytes(StandardCharsets.ISO_8859_1))).size()).as("the overlong line skipped").isEqualTo(2);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static List<byte[]> seedFiles() {
    List<byte[]> seeds = new ArrayList<>(List.of(ElfImage.functions(40).build(), ElfImage.functions(3).symtabHeaders(3, 0).build()));
    try {
      Path tool = Path.of("/bin/true");
      if (Files.isRegularFile(tool) && Files.size(tool) < (1 << 20)) {
        seeds.add(Files.readAllBytes(tool)); // a real binary: .dynsym, program headers, many sections
      }
    } catch (IOException e) {
      // the synthetic seeds still run
    }
    return seeds;
  }

  /** A small ELF64 little-endian file: one PT_LOAD, a .symtab of functions f0..fN-1 and its .strtab. */
  static final class ElfImage {
    final int functions;
    int extraSymtabHeaders;
    int shiftPerHeader;
    int strtabFiller;

    private ElfImage(int functions) {
      this.functions = functions;
    }

    static ElfImage functions(int n) {
      return new ElfImage(n);
    }

    /** {@code count} more section headers naming the symbol table, each starting {@code shift} bytes further. */
    ElfImage symtabHeaders(int count, int shift) {
      this.extraSymtabHeaders = count;
      this.shiftPerHeader = shift;
      return this;
    }

    byte[] build() {
      StringBuilder names = new StringBuilder("\0");
      int[] nameAt = new int[functions];
      for (int i = 0; i < functions; i++) {
        nameAt[i] = names.length();
        names.append('f').append(i).append('\0');
      }
      byte[] strtab = names.toString().getBytes(StandardCharsets.US_ASCII);
      if (strtabFiller > 0) {
        strtab = java.util.Arrays.copyOf(strtab, strtab.length - 1 + strtabFiller); // the last name never ends
        java.util.Arrays.fill(strtab, strtab.length - strtabFiller, strtab.length, (byte) 'x');
      }
      int strOff = 64 + 56;
      int symOff = (strOff + strtab.length + 7) & ~7;
      int symSize = functions * 24;
      int shoff = (symOff + symSize + 7) & ~7;
      int shnum = 3 + extraSymtabHeaders;
      ByteBuffer b = ByteBuffer.allocate(shoff + shnum * 64).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1);
      b.putShort(16, (short) 3).putShort(18, (short) 62);
      b.putLong(32, 64).putLong(40, shoff).putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 1);
      b.putShort(58, (short) 64).putShort(60, (short) (shnum > 0xffff ? 0 : shnum)).putShort(62, (short) 2);
      b.putInt(64, 1).putLong(64 + 8, 0).putLong(64 + 16, 0x400000).putLong(64 + 32, b.capacity()).putLong(64 + 40, b.capacity());
      b.put(strOff, strtab);
      for (int i = 0; i < functions; i++) {
        int at = symOff + i * 24;
        b.putInt(at, nameAt[i]).put(at + 4, (byte) 0x12).putShort(at + 6, (short) 1).putLong(at + 8, 0x401000L + 16L * i)
            .putLong(at + 16, 16);
      }
      section(b, shoff + 64, 2, symOff, symSize);
      section(b, shoff + 128, 3, strOff, strtab.length);
      for (int i = 0; i < extraSymtabHeaders; i++) {
        section(b, shoff + (3 + i) * 64, 2, symOff + (long) i * shiftPerHeader, symSize);
      }
      return b.array();
    }

    private static void section(ByteBuffer b, int at, int type, long offset, long size) {
      b.putInt(at + 4, type).putLong(at + 24, offset).putLong(at + 32, size);
      if (type == 2) {
        b.putInt(at + 40, 2).putLong(at + 56, 24); // sh_link: the .strtab; sh_entsize
      }
    }
  }
}

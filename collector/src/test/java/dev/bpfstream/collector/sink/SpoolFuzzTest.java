package dev.bpfstream.collector.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.bpfstream.fuzz.BoundedCall;
import dev.bpfstream.fuzz.ByteMutation;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Spool segments damaged on disk (bits flipped, bytes inserted, deleted, the file cut or grown) and
 * files of random bytes, found by the next collector at start. Opening never fails and replay never
 * stops on them: every entry kept is one that was written, a record that is gone is counted under
 * {@link Spool#CORRUPT_SOURCE}, and once cut the damage is gone (a second open finds none).
 */
class SpoolFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(20));

  @Provide
  Arbitrary<List<ByteMutation>> mutations() {
    return ByteMutation.some();
  }

  @Property(tries = 700)
  void aDamagedSegmentLosesOnlyWhatIsDamagedAndCountsIt(@ForAll @IntRange(min = 1, max = 40) int written,
                                                        @ForAll("mutations") List<ByteMutation> mutations) throws Exception {
    Path dir = Files.createTempDirectory("spool-fuzz");
    try {
      Set<String> values = new HashSet<>();
      try (Spool s = Spool.open(dir, 1 << 20, 1 << 20, Spool.Policy.BLOCK)) {
        for (int i = 0; i < written; i++) {
          String v = "record-" + i + "-" + "x".repeat(i % 7);
          values.add(v);
          s.append(i % 2 == 0 ? "exec" : "exit", "bpf.exec", ("k" + i).getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8));
        }
      }
      Path segment = onlySegment(dir);
      byte[] before = Files.readAllBytes(segment);
      byte[] after = ByteMutation.applyAll(before, mutations);
      Files.write(segment, after);

      Spool reopened = open(dir, segment);
      List<String> replayed = drain(reopened, segment);
      long corrupt = reopened.dropped().getOrDefault(Spool.CORRUPT_SOURCE, 0L);
      reopened.close();
      assertThat(replayed).as("every entry kept was written").allSatisfy(v -> assertThat(values).contains(v));
      if (java.util.Arrays.equals(before, after)) {
        assertThat(replayed).hasSize(written);
        assertThat(corrupt).isZero();
      } else if (replayed.size() < written && !cutAtAnEntryBoundary(before, after)) {
        // A file cut exactly between two entries looks like a shorter segment: nothing to detect
        // (the spool never makes one: each entry is one write). Any other damage is counted.
        assertThat(corrupt).as("a lost record is counted").isPositive();
      }
      assertThat(reopened.droppedTotal()).isEqualTo(corrupt);
    } finally {
      delete(dir);
    }
  }

  @Property(tries = 500)
  void aSegmentOfRandomBytesNeverStopsTheSpool(@ForAll @Size(max = 2000) byte[] bytes) throws Exception {
    Path dir = Files.createTempDirectory("spool-fuzz");
    try {
      Path segment = dir.resolve(String.format("%020d.spool", 3));
      Files.write(segment, bytes);
      Spool s = open(dir, segment);
      drain(s, segment);
      assertThat(s.append("exec", "bpf.exec", null, new byte[] {1})).isTrue();
      s.close();
    } finally {
      delete(dir);
    }
  }

  @Example
  void oneCorruptEntryInTheMiddleCostsOnlyThatEntryAndIsCounted() throws Exception {
    Path dir = Files.createTempDirectory("spool-fuzz");
    try {
      try (Spool s = Spool.open(dir, 1 << 20, 1 << 20, Spool.Policy.BLOCK)) {
        for (int i = 0; i < 10; i++) {
          s.append("exec", "bpf.exec", null, ("record-" + i).getBytes(StandardCharsets.UTF_8));
        }
      }
      Path segment = onlySegment(dir);
      byte[] b = Files.readAllBytes(segment);
      b[b.length / 2] ^= 0x10; // inside the fifth or sixth entry
      Files.write(segment, b);
      try (Spool s = Spool.open(dir, 1 << 20, Spool.Policy.BLOCK)) {
        assertThat(s.records()).as("the entries after the bad one are kept, not cut with it").isEqualTo(9);
        assertThat(s.dropped()).containsEntry(Spool.CORRUPT_SOURCE, 1L);
        assertThat(s.corruptBytes()).isPositive();
        assertThat(drain(s, segment)).hasSize(9).contains("record-0", "record-9");
      }
      try (Spool s = Spool.open(dir, 1 << 20, Spool.Policy.BLOCK)) {
        assertThat(s.dropped()).isEmpty();
      }
    } finally {
      delete(dir);
    }
  }

  @Example
  void filesThatAreNotSegmentsAreLeftAloneAndDoNotStopTheSpool() throws Exception {
    Path dir = Files.createTempDirectory("spool-fuzz");
    try {
      Files.writeString(dir.resolve("notes.spool"), "hello");
      Files.writeString(dir.resolve("12ab.spool"), "hello");
      Files.createDirectory(dir.resolve("00000000000000000007.spool"));
      try (Spool s = Spool.open(dir, 1 << 20, Spool.Policy.BLOCK)) {
        assertThat(s.records()).isZero();
        assertThat(s.append("exec", "bpf.exec", null, new byte[] {1})).isTrue();
        assertThat(s.oldest().entries()).hasSize(1);
      }
      assertThat(dir.resolve("notes.spool")).exists();
    } finally {
      delete(dir);
    }
  }

  private static boolean cutAtAnEntryBoundary(byte[] before, byte[] after) {
    if (after.length > before.length || !java.util.Arrays.equals(before, 0, after.length, after, 0, after.length)) {
      return false;
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(before).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int pos = 0;
    while (pos < after.length) {
      pos += Spool.entryBytesAt(b, pos);
    }
    return pos == after.length;
  }

  private static Spool open(Path dir, Path segment) throws Exception {
    BoundedCall.Outcome<Spool> o = CALLS.run(() -> Spool.open(dir, 1 << 20, Spool.Policy.BLOCK), segment);
    assertThat(o.thrown()).as("open of a damaged spool").isNull();
    return o.value();
  }

  private static List<String> drain(Spool s, Path segment) {
    BoundedCall.Outcome<List<String>> o = CALLS.run(() -> {
      List<String> out = new ArrayList<>();
      long expected = s.records();
      for (Spool.Batch b = s.oldest(); b != null; b = s.oldest()) {
        b.entries().forEach(e -> out.add(new String(e.value(), StandardCharsets.UTF_8)));
        s.release(b);
      }
      assertThat(out).as("replay gives every entry the spool counted").hasSize((int) expected);
      return out;
    }, segment);
    assertThat(o.thrown()).as("replay of a damaged spool").isNull();
    return o.value();
  }

  private static Path onlySegment(Path dir) throws IOException {
    try (Stream<Path> l = Files.list(dir)) {
      List<Path> files = l.toList();
      assertThat(files).hasSize(1);
      return files.get(0);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> w = Files.walk(dir)) {
      for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

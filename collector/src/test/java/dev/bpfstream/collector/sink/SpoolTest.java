package dev.bpfstream.collector.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir
  Path dir;

  private static byte[] value(int i) {
    return ("record-" + i + "-" + "x".repeat(40)).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> drain(Spool s) {
    List<String> out = new ArrayList<>();
    for (Spool.Batch b = s.oldest(); b != null; b = s.oldest()) {
      b.entries().forEach(e -> out.add(new String(e.value(), StandardCharsets.UTF_8)));
      s.release(b);
    }
    return out;
  }

  @Test
  void recordsComeBackInTheOrderTheyWentInAcrossSegments() throws Exception {
    try (Spool s = Spool.open(dir, 1 << 20, 1024, Spool.Policy.BLOCK)) {
      for (int i = 0; i < 100; i++) {
        assertThat(s.append("exec", "bpf.exec", "host".getBytes(), value(i))).isTrue();
      }
      assertThat(s.records()).isEqualTo(100);
      List<String> got = drain(s);
      assertThat(got).hasSize(100).first().asString().startsWith("record-0-");
      assertThat(got.get(99)).startsWith("record-99-");
      assertThat(s.isEmpty()).isTrue();
      assertThat(s.bytes()).isZero();
    }
    try (var files = Files.list(dir)) {
      assertThat(files.count()).as("released segments are deleted").isLessThanOrEqualTo(1);
    }
  }

  @Test
  void aNewProcessFindsWhatTheOldOneSpooledAndCutsATornLastEntry() throws Exception {
    Spool first = Spool.open(dir, 1 << 20, 1 << 20, Spool.Policy.BLOCK);
    for (int i = 0; i < 10; i++) {
      first.append("exec", "bpf.exec", null, value(i));
    }
    // No close: the process is killed. Then half an entry arrives, as when killed mid-write.
    Path segment;
    try (var files = Files.list(dir)) {
      segment = files.findFirst().orElseThrow();
    }
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.APPEND)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {100, 0, 0, 0, 1, 2, 3}));
    }
    try (Spool second = Spool.open(dir, 1 << 20, Spool.Policy.BLOCK)) {
      assertThat(second.records()).isEqualTo(10);
      second.append("exec", "bpf.exec", null, value(10));
      List<String> got = drain(second);
      assertThat(got).hasSize(11);
      assertThat(got.get(10)).startsWith("record-10-");
    }
  }

  @Test
  void dropOldestMakesRoomAndCountsTheDroppedRecordsBySource() throws Exception {
    try (Spool s = Spool.open(dir, 4096, 1024, Spool.Policy.DROP_OLDEST)) {
      for (int i = 0; i < 200; i++) {
        assertThat(s.append(i % 2 == 0 ? "exec" : "exit", "t", null, value(i))).isTrue();
      }
      long kept = s.records();
      assertThat(s.bytes()).isLessThanOrEqualTo(4096);
      assertThat(s.dropped().values().stream().mapToLong(Long::longValue).sum() + kept).isEqualTo(200);
      assertThat(s.dropped()).containsKeys("exec", "exit");
      assertThat(drain(s).get((int) kept - 1)).startsWith("record-199-");
    }
  }

  @Test
  void dropNewestRefusesWhenFullAndCountsIt() throws Exception {
    try (Spool s = Spool.open(dir, 2048, 1024, Spool.Policy.DROP_NEWEST)) {
      int accepted = 0;
      for (int i = 0; i < 100; i++) {
        accepted += s.append("exec", "t", null, value(i)) ? 1 : 0;
      }
      assertThat(accepted).isLessThan(100);
      assertThat(s.dropped().get("exec")).isEqualTo(100L - accepted);
      assertThat(drain(s).get(0)).startsWith("record-0-");
    }
  }

  @Test
  void blockWaitsForSpaceUntilTheOldestIsReleased() throws Exception {
    try (Spool s = Spool.open(dir, 2048, 1024, Spool.Policy.BLOCK)) {
      long entry = 4 + 2 + 4 + 2 + 1 + 2 + 4 + value(0).length + 4;
      while (s.bytes() + entry <= 2048) {
        s.append("exec", "t", null, value(0));
      }
      CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> {
        try {
          return s.append("exec", "t", null, value(1)) && s.append("exec", "t", null, value(2));
        } catch (InterruptedException e) {
          return false;
        }
      });
      Thread.sleep(300);
      assertThat(blocked).isNotDone();
      s.release(s.oldest());
      assertThat(blocked.get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(s.dropped()).isEmpty();
    }
  }
}

package dev.bpfstream.collector.symbol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.testing.ChildProcesses;
import dev.bpfstream.collector.testing.CProgram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names checked against binutils' nm and the kernel's own kallsyms, on a live child process. */
class StackSymbolizerTest {
  static final String SOURCE = """
      #include <unistd.h>
      __attribute__((noinline)) int bpfstream_alpha(int x) { return x * 3 + 1; }
      __attribute__((noinline)) int bpfstream_beta(int x) { return bpfstream_alpha(x) + 2; }
      int main(int argc, char **argv) { (void)bpfstream_beta(argc); pause(); return 0; }
      """;

  @BeforeAll
  static void tools() {
    Prerequisites.require(CProgram.missingCompiler());
    Prerequisites.require(Files.isReadable(Path.of("/proc/kallsyms")) ? null : "needs /proc/kallsyms");
  }

  @Test
  void userFramesByElfSymbolsJitFramesByPerfMapUnknownKeptAsAddresses(@TempDir Path dir) throws Exception {
    Path bin = CProgram.compile(dir, "syms", SOURCE);
    long alpha = nmAddress(bin, "bpfstream_alpha");
    long beta = nmAddress(bin, "bpfstream_beta");
    try (ChildProcesses children = new ChildProcesses()) {
      long pid = ChildProcesses.await(children.start(bin.toString()), "syms").pid();
      Thread.sleep(100); // mapped and paused
      // gcc's PIE puts the first PT_LOAD at vaddr 0: the lowest mapping of the file is the load base.
      long base = Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
          .filter(l -> l.endsWith(bin.toString()))
          .mapToLong(l -> Long.parseUnsignedLong(l.substring(0, l.indexOf('-')), 16)).min().orElseThrow();
      Path perfMap = Path.of("/tmp/perf-" + pid + ".map");
      Files.writeString(perfMap, "10000000 100 LFoo;bar\n");
      try {
        StackSymbolizer s = new StackSymbolizer();
        s.beginDrain();
        // frame 0 is the sampled address; later frames are return addresses (looked up at addr - 1)
        List<String> frames = s.userFrames((int) pid, new long[] {base + alpha + 2, base + beta + 1, 0x10000040L, 0x20000000L}, 4);
        assertThat(frames).containsExactly("bpfstream_alpha", "bpfstream_beta", "LFoo;bar", "0x20000000");
        assertThat(s.stats().resolved()).isEqualTo(3);
        assertThat(s.stats().unresolved()).isEqualTo(1);
      } finally {
        Files.deleteIfExists(perfMap);
      }
    }
  }

  @Test
  void kernelFramesByKallsyms() throws Exception {
    long vfsRead = Files.readAllLines(Path.of("/proc/kallsyms")).stream()
        .filter(l -> l.endsWith(" T vfs_read") || l.endsWith(" t vfs_read"))
        .mapToLong(l -> Long.parseUnsignedLong(l.substring(0, l.indexOf(' ')), 16)).findFirst().orElse(0);
    Prerequisites.require(vfsRead != 0 ? null : "kallsyms hides addresses (not root or kptr_restrict)");
    List<String> frames = new StackSymbolizer().kernelFrames(new long[] {vfsRead + 8, vfsRead + 1, 0x10L}, 3);
    assertThat(frames).containsExactly("vfs_read", "vfs_read", "0x10");
  }

  private static long nmAddress(Path bin, String symbol) throws Exception {
    Process p = new ProcessBuilder("nm", bin.toString()).start();
    for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
      if (line.endsWith(" " + symbol)) {
        return Long.parseUnsignedLong(line.substring(0, line.indexOf(' ')), 16);
      }
    }
    throw new AssertionError(symbol + " not in nm output of " + bin);
  }
}

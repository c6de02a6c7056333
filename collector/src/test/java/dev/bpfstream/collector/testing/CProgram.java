package dev.bpfstream.collector.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.Prerequisites;

/** A small C program a test writes and compiles with gcc into its temp dir. */
public final class CProgram {
  private CProgram() {
  }

  /** Null when gcc is there, else why not (for Prerequisites.require). */
  public static String missingCompiler() {
    return Prerequisites.commandMissing("gcc", "gcc");
  }

  /** Compiles {@code source} to {@code dir/name}; extra flags after the defaults (-O1, frame pointers). */
  public static Path compile(Path dir, String name, String source, String... flags) throws IOException, InterruptedException {
    Path c = dir.resolve(name + ".c");
    Path out = dir.resolve(name);
    Files.writeString(c, source);
    List<String> cmd = new ArrayList<>(List.of("gcc", "-O1", "-fno-omit-frame-pointer", "-o", out.toString(), c.toString()));
    cmd.addAll(List.of(flags));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("gcc failed for " + name + ":\n" + log);
    }
    return out;
  }
}

package dev.bpfstream.collector.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.bpfstream.broker.junit.Prerequisites;

/**
 * BPF programs, maps and links by kernel id: those a process holds (its /proc/PID/fdinfo), and
 * those the kernel has at all (`bpftool -j prog|map|link show`).
 */
public record BpfHandles(Set<Long> progs, Set<Long> maps, Set<Long> links) {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

  /** Null when bpftool is there, else why not (for Prerequisites.require). */
  public static String missingBpftool() {
    return Prerequisites.commandMissing("bpftool", "bpftool");
  }

  /** What {@code pid} holds open: the ids in its fds' fdinfo. */
  public static BpfHandles heldBy(long pid) throws IOException {
    Set<Long> progs = new TreeSet<>();
    Set<Long> maps = new TreeSet<>();
    Set<Long> links = new TreeSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fdinfo"))) {
      for (Path fd : fds.toList()) {
        String info;
        try {
          info = Files.readString(fd);
        } catch (IOException e) {
          continue; // closed meanwhile
        }
        for (String line : info.split("\n")) {
          String[] kv = line.split(":\\s*", 2);
          if (kv.length == 2) {
            switch (kv[0]) {
              case "prog_id" -> progs.add(Long.parseLong(kv[1].trim()));
              case "map_id" -> maps.add(Long.parseLong(kv[1].trim()));
              case "link_id" -> links.add(Long.parseLong(kv[1].trim()));
              default -> {
              }
            }
          }
        }
      }
    }
    return new BpfHandles(progs, maps, links);
  }

  /** Every program, map and link the kernel has now. */
  public static BpfHandles inKernel() throws IOException, InterruptedException {
    return new BpfHandles(bpftool("prog"), bpftool("map"), bpftool("link"));
  }

  /** The ids of this set that {@code other} also has. */
  public BpfHandles stillIn(BpfHandles other) {
    return new BpfHandles(common(progs, other.progs), common(maps, other.maps), common(links, other.links));
  }

  public boolean isEmpty() {
    return progs.isEmpty() && maps.isEmpty() && links.isEmpty();
  }

  private static Set<Long> common(Set<Long> a, Set<Long> b) {
    Set<Long> out = new TreeSet<>(a);
    out.retainAll(b);
    return out;
  }

  private static Set<Long> bpftool(String kind) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/usr/sbin/bpftool", "-j", kind, "show").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("bpftool " + kind + " show failed: " + out);
    }
    Set<Long> ids = new TreeSet<>();
    Matcher m = ID.matcher(out);
    while (m.find()) {
      ids.add(Long.parseLong(m.group(1)));
    }
    return ids;
  }
}

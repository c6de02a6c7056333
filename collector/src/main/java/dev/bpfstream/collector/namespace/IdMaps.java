package dev.bpfstream.collector.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.event.IdMapEntry;

/** /proc/PID/uid_map and gid_map: "inside outside count" lines, as seen from our user namespace. */
final class IdMaps {
  private IdMaps() {
  }

  /** Empty when the map is not written yet, or the process is gone. */
  static List<IdMapEntry> read(int pid, String file) {
    try {
      return parse(Files.readString(Path.of("/proc/" + pid + "/" + file)));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  static List<IdMapEntry> parse(String content) {
    List<IdMapEntry> out = new ArrayList<>();
    for (String line : content.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3) {
        out.add(new IdMapEntry(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
      }
    }
    return out;
  }
}

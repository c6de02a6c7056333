package dev.bpfstream.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The TCP sockets a process listens on, from /proc/PID/fd and /proc/PID/net/tcp{,6}: "addr:port". */
final class ListeningSockets {
  private ListeningSockets() {
  }

  static List<String> of(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String link = Files.readSymbolicLink(fd).toString();
          if (link.startsWith("socket:[")) {
            inodes.add(link.substring(8, link.length() - 1));
          }
        } catch (IOException gone) {
          // closed meanwhile
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6")) {
      List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A: LISTEN
          out.add(address(f[1]));
        }
      }
    }
    return out;
  }

  /** /proc/net hex "0100007F:1F90" or 32-hex IPv6 to "127.0.0.1:8080" / "::1:8080" style text. */
  static String address(String hex) {
    String[] parts = hex.split(":");
    int port = Integer.parseInt(parts[1], 16);
    String a = parts[0];
    if (a.length() == 8) {
      return String.format("%d.%d.%d.%d:%d", Integer.parseInt(a.substring(6, 8), 16), Integer.parseInt(a.substring(4, 6), 16),
          Integer.parseInt(a.substring(2, 4), 16), Integer.parseInt(a.substring(0, 2), 16), port);
    }
    if (a.equals("00000000000000000000000001000000")) {
      return "::1:" + port;
    }
    if (a.startsWith("0000000000000000FFFF0000")) {
      String v4 = a.substring(24);
      return String.format("::ffff:%d.%d.%d.%d:%d", Integer.parseInt(v4.substring(6, 8), 16), Integer.parseInt(v4.substring(4, 6), 16),
          Integer.parseInt(v4.substring(2, 4), 16), Integer.parseInt(v4.substring(0, 2), 16), port);
    }
    return a + ":" + port;
  }

  static boolean loopback(String address) {
    return address.startsWith("127.") || address.startsWith("::1:") || address.startsWith("::ffff:127.");
  }
}

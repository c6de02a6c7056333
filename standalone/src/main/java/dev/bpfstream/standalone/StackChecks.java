package dev.bpfstream.standalone;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.collector.bpf.BpfException;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.bpf.Tracefs;

/** Everything `up` needs, checked before anything starts: one line per problem, each naming the fix. */
final class StackChecks {
  private StackChecks() {
  }

  static List<String> problems(StackOptions o) {
    List<String> out = new ArrayList<>(Privileges.missing());
    if (out.isEmpty()) {
      try {
        Tracefs.ensureMounted();
      } catch (BpfException e) {
        out.add(e.getMessage());
      }
    }
    String dir = PrivateDataDir.prepare(o.dataDir());
    if (dir == null) {
      dir = writable(o.dataDir());
    }
    if (dir != null) {
      out.add(dir);
    }
    if (o.kafkaPort() != 0 && !free(o.kafkaPort())) {
      out.add("port " + o.kafkaPort() + " on 127.0.0.1 is in use: stop what holds it (ss -ltnp 'sport = :" + o.kafkaPort()
          + "') or choose another with --kafka-port");
    }
    if (o.metricsPort() > 0 && !free(o.metricsPort())) {
      out.add("port " + o.metricsPort() + " on 127.0.0.1 is in use: choose another with --metrics-port, or 0 to turn metrics off");
    }
    if (o.ringBytes() != 0 && (o.ringBytes() < 4096 || Integer.bitCount(o.ringBytes()) != 1)) {
      out.add("--ring-bytes must be a power of two of at least 4096 (e.g. 4M), not " + o.ringBytes());
    }
    if (o.consolePort() > 0 && !free(o.consolePort())) {
      out.add("port " + o.consolePort() + " on 127.0.0.1 is in use: choose another with --console-port, or 0 to turn the web console off");
    }
    return out;
  }

  private static String writable(Path dir) {
    try {
      Path probe = Files.createTempFile(dir, ".write-check", "");
      Files.delete(probe);
      return null;
    } catch (IOException | SecurityException e) {
      return "data dir " + dir + " is not writable (" + e.getMessage() + "): choose another with --data-dir";
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

package dev.bpfstream.collector.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The whole disk under a file, as major:minor and kernel name, from its st_dev and /sys/dev/block. */
public record BlockDevices(int major, int minor, String name) {

  public static BlockDevices diskOf(Path file) throws IOException {
    long dev = (Long) Files.getAttribute(file, "unix:dev");
    int major = (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    int minor = (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    Path sys = Path.of("/sys/dev/block/" + major + ":" + minor).toRealPath();
    if (Files.exists(sys.resolve("partition"))) {
      sys = sys.getParent();
    }
    String[] mm = Files.readString(sys.resolve("dev")).trim().split(":");
    return new BlockDevices(Integer.parseInt(mm[0]), Integer.parseInt(mm[1]), sys.getFileName().toString());
  }

  public static BlockDevices ofDevice(Path node) throws IOException {
    long rdev = (Long) Files.getAttribute(node, "unix:rdev");
    int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
    return new BlockDevices(major, minor, node.getFileName().toString());
  }
}

package dev.bpfstream.collector.bpf;

import java.nio.file.Files;
import java.nio.file.Path;

/** Tracepoint attachment needs tracefs mounted; a fresh machine does not have it. */
public final class Tracefs {
  public static final Path MOUNT_POINT = Path.of("/sys/kernel/tracing");

  private Tracefs() {
  }

  public static boolean mounted() {
    return Files.isDirectory(MOUNT_POINT.resolve("events"));
  }

  /** Mounts tracefs at /sys/kernel/tracing unless it is there; the error names the manual fix. */
  public static void ensureMounted() {
    if (mounted()) {
      return;
    }
    Native n = Native.get();
    if (n.libc.mount("nodev", MOUNT_POINT.toString(), "tracefs", 0, null) != 0 && !mounted()) {
      BpfException e = n.failure("mounting tracefs", 0);
      throw new BpfException(e.getMessage() + "; mount it yourself: mount -t tracefs nodev " + MOUNT_POINT, e.errno());
    }
  }

  /** True when the tracepoint category/name exists on this kernel. */
  public static boolean hasTracepoint(String category, String name) {
    return Files.isDirectory(MOUNT_POINT.resolve("events").resolve(category).resolve(name));
  }
}

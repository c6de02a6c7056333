package dev.bpfstream.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jnr.ffi.LibraryLoader;

/**
 * The data directory holds what the root collector saw (Kafka logs, checkpoints) and the stack's
 * secrets: it is 0700 and everything in it 0600/0700, whatever the umask the stack was started
 * with (the process's umask becomes 077, so Kafka's and Flink's own files are made private too).
 * An existing directory that another user could read or enter is refused, with the fix.
 */
final class PrivateDataDir {
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  /** libc's umask(2); public only because jnr-ffi implements it in its own class loader. */
  public interface Umask {
    int umask(int mask);
  }

  private PrivateDataDir() {
  }

  /**
   * Sets the umask to 077 and creates {@code dir} 0700 if it is missing; null when the directory is
   * private, else the one-line problem and its fix.
   */
  static String prepare(Path dir) {
    LibraryLoader.create(Umask.class).load("c").umask(0077);
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return null;
      }
      List<Path> open = readableByOthers(dir);
      if (open.isEmpty()) {
        return null;
      }
      Path first = open.get(0);
      return "data dir " + dir + " can be read by other users (" + first + " is "
          + PosixFilePermissions.toString(Files.getPosixFilePermissions(first, LinkOption.NOFOLLOW_LINKS))
          + (open.size() > 1 ? ", and " + (open.size() - 1) + " more" : "") + "): run chmod -R go= " + dir
          + ", or choose another with --data-dir";
    } catch (IOException e) {
      return "data dir " + dir + " cannot be prepared (" + e.getMessage() + "): choose another with --data-dir";
    }
  }

  /** Every file and directory under {@code dir} (itself included) with a group or other permission bit. */
  static List<Path> readableByOthers(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isSymbolicLink(p)) {
          continue; // a link's own mode means nothing
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(OTHERS::contains)) {
          out.add(p);
        }
      }
    }
    return out;
  }
}

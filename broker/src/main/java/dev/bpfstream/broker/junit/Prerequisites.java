package dev.bpfstream.broker.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need something of the machine (root, BPF, a tool) say so here, in their
 * {@code @BeforeAll} (or test). Where it is missing the test aborts with the reason and
 * {@link NotRunListener} lists it at the end of the build, unless {@code BPFSTREAM_REQUIRE_ALL=1}
 * (set by {@code ./bpfstream test}, which CI runs): then it fails, so CI never passes by skipping.
 */
public final class Prerequisites {
  public static final String REQUIRE_ALL = "BPFSTREAM_REQUIRE_ALL";
  /** The one list of Debian packages the tests need, relative to the project root; {@code ./bpfstream test} installs it. */
  public static final String PACKAGE_LIST = ".ci/debian-packages";

  private Prerequisites() {
  }

  /** @param missingReason null when the prerequisite holds, else why it does not */
  public static void require(String missingReason) {
    require(missingReason, requireAll());
  }

  static void require(String missingReason, boolean requireAll) {
    if (missingReason == null) {
      return;
    }
    if (requireAll) {
      throw new AssertionError("prerequisite missing and " + REQUIRE_ALL + " is set: " + missingReason);
    }
    Assumptions.abort("skipped: " + missingReason);
  }

  /** Requires a command from a Debian package, e.g. {@code requireCommand("nft", "nftables")}: see {@link #commandMissing}. */
  public static void requireCommand(String command, String debianPackage) {
    require(commandMissing(command, debianPackage));
  }

  /**
   * Null when the command is on the PATH (or in an sbin directory), else why not and the fix. The
   * package must be in {@value #PACKAGE_LIST}, so that {@code ./bpfstream test} installs it: a test
   * naming one that is not there fails, whatever this machine has.
   */
  public static String commandMissing(String command, String debianPackage) {
    List<String> listed = listedPackages();
    if (listed != null && !listed.contains(debianPackage)) {
      throw new AssertionError("Debian package " + debianPackage + " (for " + command + ") is not in "
          + PACKAGE_LIST + ": add it there so that ./bpfstream test installs it");
    }
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin"));
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return null;
      }
    }
    return "needs " + command + " (Debian package " + debianPackage + ": ./bpfstream test as root installs it, "
        + "or apt-get install " + debianPackage + ")";
  }

  public static String rootMissing() {
    return "root".equals(System.getProperty("user.name")) ? null : "needs root (or CAP_BPF+CAP_PERFMON); run as root";
  }

  static boolean requireAll() {
    String value = System.getenv(REQUIRE_ALL);
    return "1".equals(value) || "true".equals(value);
  }

  /** The packages of {@value #PACKAGE_LIST} (first word of each line, # comments), or null when no project root is above the working directory. */
  static List<String> listedPackages() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path list = dir.resolve(PACKAGE_LIST);
      if (Files.isRegularFile(list)) {
        return packages(list);
      }
    }
    return null;
  }

  static List<String> packages(Path list) {
    try (Stream<String> lines = Files.lines(list)) {
      return lines.map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty())
          .map(l -> l.split("\\s+")[0]).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.bpfstream.broker.junit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints, at the end of a build, every test class that did not run in it and why: the union of the
 * modules' {@code target/not-run.txt} ({@link NotRunListener}). Run by the last module of the reactor
 * ({@code test-summary}). Under {@value Prerequisites#REQUIRE_ALL} a class that aborted fails the
 * build; so does a module whose tests are not watched (no broker on its test classpath, or not
 * ordered before the summary).
 */
public final class NotRunSummary {
  static final String FIX = "Fix: run ./bpfstream test as root; it installs the Debian packages listed in "
      + Prerequisites.PACKAGE_LIST + " and runs every test with nothing skipped.";
  private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");

  /** A module of the reactor and what did not run in it. */
  record Module(String name, List<NotRun> notRun, String unwatched) {
  }

  private NotRunSummary() {
  }

  /** @param args the project's root directory */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    failUnderRequireAll(print(read(root), System.out), Prerequisites.requireAll());
  }

  static void failUnderRequireAll(int failures, boolean requireAll) {
    if (failures > 0 && requireAll) {
      throw new IllegalStateException(failures + " test class(es) did not run and " + Prerequisites.REQUIRE_ALL
          + " is set (listed above). " + FIX);
    }
  }

  /** The modules the root pom lists, in its order, with what did not run in each. */
  static List<Module> read(Path root) throws IOException {
    String summaryPom = Files.readString(root.resolve("test-summary/pom.xml"));
    List<Module> modules = new ArrayList<>();
    Matcher m = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
    while (m.find()) {
      String name = m.group(1);
      Path dir = root.resolve(name);
      if (name.equals("test-summary") || !Files.isDirectory(dir.resolve("src/test"))) {
        continue;
      }
      List<NotRun> notRun = new ArrayList<>();
      Path file = dir.resolve("target/not-run.txt");
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            notRun.add(NotRun.parse(line));
          }
        }
      }
      modules.add(new Module(name, notRun, unwatched(name, Files.readString(dir.resolve("pom.xml")), summaryPom)));
    }
    return modules;
  }

  /** Why the module's skips would go unseen, or null. */
  static String unwatched(String name, String pom, String summaryPom) {
    String artifactId = artifactId(pom);
    if (!name.equals("broker") && !pom.contains("<artifactId>bpfstream-broker</artifactId>")) {
      return "its tests are not watched: add bpfstream-broker (test scope) to " + name + "/pom.xml";
    }
    if (!summaryPom.contains("<artifactId>" + artifactId + "</artifactId>")) {
      return "the summary may run before its tests: add " + artifactId + " to test-summary/pom.xml";
    }
    return null;
  }

  private static String artifactId(String pom) {
    Matcher m = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>").matcher(pom);
    return m.find() ? m.group(1) : "?";
  }

  /** Prints the summary; returns how many entries fail a build under {@value Prerequisites#REQUIRE_ALL}. */
  static int print(List<Module> modules, PrintStream out) {
    List<String> failing = new ArrayList<>();
    List<String> offByDesign = new ArrayList<>();
    for (Module module : modules) {
      if (module.unwatched() != null) {
        failing.add(String.format("  %-12s %s", module.name(), module.unwatched()));
      }
      for (NotRun n : module.notRun()) {
        String line = String.format("  %-12s %s: %s", module.name(), n.test(), n.reason());
        (n.kind() == NotRun.Kind.ABORTED ? failing : offByDesign).add(line);
      }
    }
    out.println();
    if (failing.isEmpty()) {
      out.println("Tests not run: none (modules " + String.join(", ", modules.stream().map(Module::name).toList()) + ")");
    } else {
      out.println("TESTS NOT RUN (" + failing.size() + "); " + Prerequisites.REQUIRE_ALL + "=1 makes each a failure:");
      failing.forEach(out::println);
      out.println(FIX);
    }
    if (!offByDesign.isEmpty()) {
      out.println("Tests off by design (opt-in, not a failure):");
      offByDesign.forEach(out::println);
    }
    return failing.size();
  }
}

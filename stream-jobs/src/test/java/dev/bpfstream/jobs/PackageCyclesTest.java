package dev.bpfstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The module's packages depend one way, as the data flows (docs/architecture.md): no package reaches
 * itself again through the packages it uses. Read from the compiled classes (every class, field,
 * method and signature a class file names), so it sees what the compiler linked, not only imports.
 */
class PackageCyclesTest {
  private static final String ROOT = "dev/bpfstream/jobs/";
  private static final Pattern NAMED = Pattern.compile(Pattern.quote(ROOT) + "([a-z0-9_/]+)/[A-Z][\\w$]*");

  @Test
  void noPackageOfTheModuleDependsOnItselfThroughOthers() throws Exception {
    Map<String, Set<String>> uses = dependencies(Path.of(JobsMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    assertThat(uses).as("packages read").containsKeys("source", "wire", "window", "completeness", "workload", "alert");
    List<String> cycles = new ArrayList<>();
    for (String p : uses.keySet()) {
      List<String> path = pathBack(p, uses);
      if (path != null && p.equals(path.stream().sorted().findFirst().orElseThrow())) {
        cycles.add(String.join(" -> ", path) + " -> " + p);
      }
    }
    assertThat(cycles).as("package cycles (break each so it has one direction)").isEmpty();
  }

  /** The cycle from {@code start} back to itself, shortest first, or null. */
  private static List<String> pathBack(String start, Map<String, Set<String>> uses) {
    Map<String, String> cameFrom = new TreeMap<>();
    List<String> frontier = new ArrayList<>(List.of(start));
    while (!frontier.isEmpty()) {
      List<String> next = new ArrayList<>();
      for (String p : frontier) {
        for (String q : uses.getOrDefault(p, Set.of())) {
          if (q.equals(start)) {
            List<String> path = new ArrayList<>();
            for (String at = p; at != null; at = cameFrom.get(at)) {
              path.add(0, at);
            }
            return path;
          }
          if (!cameFrom.containsKey(q)) {
            cameFrom.put(q, p);
            next.add(q);
          }
        }
      }
      frontier = next;
    }
    return null;
  }

  /** Package (below dev.bpfstream.jobs, '/'-separated) to the other such packages its classes name. */
  static Map<String, Set<String>> dependencies(Path classes) throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(classes.resolve(ROOT))) {
      for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
        String name = classes.relativize(f).toString();
        Matcher own = NAMED.matcher(name);
        if (!own.lookingAt()) {
          continue; // the module's root package: its entry points use every package
        }
        Set<String> used = uses.computeIfAbsent(own.group(1), k -> new TreeSet<>());
        try (InputStream in = Files.newInputStream(f)) {
          for (String s : utf8Constants(in)) {
            Matcher m = NAMED.matcher(s);
            while (m.find()) {
              if (!m.group(1).equals(own.group(1))) {
                used.add(m.group(1));
              }
            }
          }
        }
      }
    }
    return uses;
  }

  /** The UTF-8 entries of a class file's constant pool: every name and descriptor it refers to. */
  private static List<String> utf8Constants(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    List<String> strings = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> strings.add(in.readUTF());
        case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
        case 15 -> in.skipNBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
        case 5, 6 -> {
          in.skipNBytes(8);
          i++;
        }
        default -> throw new IOException("constant pool tag " + tag);
      }
    }
    return strings;
  }
}

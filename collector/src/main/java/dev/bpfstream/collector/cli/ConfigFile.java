package dev.bpfstream.collector.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.bpfstream.collector.OneLine;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.reader.ReaderException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * `collector run --config collector.yaml`: the file's keys are the long options of `run` without
 * dashes (interval: 10s, probes: [exec, exit], no-spool: true); options given on the command line
 * win. A file with an unknown key, a value of the wrong type or an impossible value is refused at
 * start with file, line, key and reason.
 */
final class ConfigFile {
  private ConfigFile() {
  }

  /** The file as `run` arguments; throws {@link CommandLine.ParameterException}-free ConfigException with every problem. */
  static List<String> toArguments(Path file, CommandSpec run) {
    String text;
    try {
      text = Files.readString(file);
    } catch (MalformedInputException e) {
      throw new ConfigException(file + ": not UTF-8 text; a config file is YAML in UTF-8");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read (" + OneLine.of(String.valueOf(e.getMessage())) + ")");
    }
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
      throw new ConfigException(file + ":" + line + ": not valid YAML: " + OneLine.of(String.valueOf(e.getProblem())));
    } catch (ReaderException e) {
      // A character YAML does not allow (a control character, a lone surrogate): its line, and which.
      int at = Math.min(Math.max(e.getPosition(), 0), text.length());
      int line = (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
      throw new ConfigException(file + ":" + line + ": not valid YAML: character " + String.format("U+%04X", e.getCodePoint())
          + " is not allowed");
    } catch (YAMLException e) {
      throw new ConfigException(file + ":1: not valid YAML: " + OneLine.of(String.valueOf(e.getMessage())));
    }
    if (root == null) {
      return List.of();
    }
    if (!(root instanceof MappingNode map)) {
      throw new ConfigException(file + ":" + line(root) + ": expected keys and values (key: value), one per line");
    }
    List<String> problems = new ArrayList<>();
    List<String> args = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    CommandLine alone = new CommandLine(new RunCommand()); // one for all keys: building it is the slow part
    for (NodeTuple t : map.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        problems.add(file + ":" + line(t.getKeyNode()) + ": keys are plain names");
        continue;
      }
      String key = k.getValue();
      Integer first = seen.putIfAbsent(key, line(k));
      if (first != null) {
        problems.add(file + ":" + line(k) + ": key '" + OneLine.of(key) + "' appears twice (first at line " + first + ")");
        continue;
      }
      OptionSpec option = run.findOption("--" + key);
      if (option == null || key.equals("config") || key.equals("help") || key.equals("version")) {
        problems.add(file + ":" + line(k) + ": unknown key '" + OneLine.of(key) + "'" + suggestion(key, run));
        continue;
      }
      List<String> mine = new ArrayList<>();
      Node v = t.getValueNode();
      if (option.arity().max() == 0) { // a flag: true or false
        if (!(v instanceof ScalarNode s) || !(s.getValue().equals("true") || s.getValue().equals("false"))) {
          problems.add(file + ":" + line(v) + ": key '" + key + "' is a switch: true or false");
          continue;
        }
        if (s.getValue().equals("true")) {
          mine.add("--" + key);
        } else if (option.negatable()) {
          mine.add("--no-" + key); // false must win over a default of true (host-metrics)
        }
      } else if (v instanceof SequenceNode seq) {
        if (!option.isMultiValue()) {
          problems.add(file + ":" + line(v) + ": key '" + key + "' takes one value, not a list");
          continue;
        }
        for (Node item : seq.getValue()) {
          if (item instanceof ScalarNode s) {
            mine.add("--" + key);
            mine.add(s.getValue());
          } else {
            problems.add(file + ":" + line(item) + ": key '" + key + "': list items are plain values");
          }
        }
      } else if (v instanceof ScalarNode s) {
        mine.add("--" + key);
        mine.add(s.getValue());
      } else {
        problems.add(file + ":" + line(v) + ": key '" + key + "' takes a plain value");
        continue;
      }
      // Convert now, so a wrong type is reported against this line, not as a command-line error.
      try {
        alone.parseArgs(mine.toArray(String[]::new)); // picocli resets every option to its default first
        ((RunCommand) alone.getCommand()).validate(); // only this key differs from the defaults, which are valid
        args.addAll(mine);
      } catch (CommandLine.ParameterException | IllegalArgumentException e) {
        problems.add(file + ":" + line(v) + ": key '" + key + "': " + OneLine.of(String.valueOf(e.getMessage())));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
    return args;
  }


  private static int line(Node n) {
    return n.getStartMark().getLine() + 1;
  }

  private static String suggestion(String key, CommandSpec run) {
    return run.options().stream().map(OptionSpec::longestName).filter(n -> n.startsWith("--"))
        .map(n -> n.substring(2))
        .min(Comparator.comparingInt(n -> distance(n, key)))
        .filter(n -> distance(n, key) <= Math.max(2, key.length() / 3))
        .map(n -> " (did you mean '" + n + "'?)").orElse("");
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** A refused configuration file: one line per problem, each with file, line and reason. */
  static final class ConfigException extends RuntimeException {
    ConfigException(String message) {
      super(message, null, false, false);
    }
  }
}

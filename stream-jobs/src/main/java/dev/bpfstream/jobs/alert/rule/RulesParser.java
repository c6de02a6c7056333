package dev.bpfstream.jobs.alert.rule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.Severity;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a rules file (YAML). Every problem is reported with the file, line and reason, and a file
 * with any problem is refused as a whole: a half-loaded rule set would silently not alert.
 */
public final class RulesParser {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
  private static final Pattern FIGURE = Pattern.compile("[A-Za-z0-9_.]+");
  private static final Set<String> KINDS = new LinkedHashSet<>(List.of("threshold", "sustained", "rate-of-change", "pattern", "absence"));
  private static final Set<String> COMMON = Set.of("id", "kind", "severity", "description",
      "update-every", "clear-windows", "stale-windows", "resolve-after");
  private static final Set<String> POLICY = Set.of("update-every", "clear-windows", "stale-windows", "resolve-after");
  private static final Set<String> WHERE_KEYS = Set.of("scope", "kind", "dimension", "dimension-value", "host", "container");

  private final String file;
  private final List<RuleError> errors = new ArrayList<>();

  private RulesParser(String file) {
    this.file = file;
  }

  public static RuleSet parse(Path path) throws RulesException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new RulesException(List.of(new RuleError(path.toString(), 0, "not UTF-8 text; a rules file is YAML in UTF-8")));
    } catch (IOException e) {
      throw new RulesException(List.of(new RuleError(path.toString(), 0, "cannot read the rules file: " + e.getMessage())));
    }
    return parse(path.toString(), text);
  }

  /** Parses {@code text}; {@code file} is the name errors carry. */
  public static RuleSet parse(String file, String text) throws RulesException {
    return new RulesParser(file).read(text);
  }

  private RuleSet read(String text) throws RulesException {
    Node root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new java.io.StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
      throw new RulesException(List.of(new RuleError(file, line, "not valid YAML: " + e.getProblem())));
    } catch (YAMLException e) {
      throw new RulesException(List.of(new RuleError(file, 0, "not valid YAML: " + e.getMessage())));
    }
    if (root == null) {
      throw new RulesException(List.of(new RuleError(file, 1, "the file is empty; it needs a 'rules:' list")));
    }
    List<Rule> rules = new ArrayList<>();
    YamlBlock top = YamlBlock.of(file, root, "rules file", errors);
    if (top != null) {
      top.rejectUnknown(Set.of("rules", "defaults"), "the top level");
      AlertPolicy defaults = AlertPolicy.DEFAULT;
      if (top.has("defaults")) {
        YamlBlock d = YamlBlock.of(file, top.node("defaults"), "defaults", errors);
        if (d != null) {
          d.rejectUnknown(POLICY, "defaults");
          defaults = policy(d, defaults);
        }
      }
      Node list = top.node("rules");
      if (list == null) {
        errors.add(new RuleError(file, top.line(), "no 'rules:' list"));
      } else if (!(list instanceof SequenceNode seq)) {
        errors.add(new RuleError(file, YamlBlock.line(list), "'rules' must be a list, each rule starting with '- id: ...'"));
      } else if (seq.getValue().isEmpty()) {
        errors.add(new RuleError(file, YamlBlock.line(list), "'rules' is empty"));
      } else {
        Map<String, Integer> seen = new HashMap<>();
        int index = 0;
        for (Node item : seq.getValue()) {
          index++;
          Rule r = rule(item, index, defaults, seen);
          if (r != null) {
            rules.add(r);
          }
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new RulesException(errors);
    }
    return new RuleSet(rules);
  }

  private Rule rule(Node item, int index, AlertPolicy defaults, Map<String, Integer> seen) {
    YamlBlock b = YamlBlock.of(file, item, "rule #" + index, errors);
    if (b == null) {
      return null;
    }
    int before = errors.size();
    String id = b.text("id", true);
    if (id != null && !ID.matcher(id).matches()) {
      b.error("id", "id '" + id + "' must be lower-case letters, digits, '.', '_' or '-'");
      id = null;
    }
    YamlBlock r = id == null ? b : b.named("rule '" + id + "'");
    if (id != null) {
      Integer first = seen.putIfAbsent(id, b.line());
      if (first != null) {
        r.error((Node) null, "duplicate id (first at line " + first + ")");
      }
    }
    String kind = r.text("kind", true);
    if (kind != null && !KINDS.contains(kind)) {
      String near = YamlBlock.closest(kind, KINDS);
      r.error("kind", "unknown kind '" + kind + "'" + (near != null ? " (did you mean '" + near + "'?)" : "")
          + "; kinds: " + String.join(", ", KINDS));
      kind = null;
    }
    Severity severity = severity(r);
    String description = r.has("description") ? r.text("description", false) : "";
    AlertPolicy policy = policy(r, defaults);
    if (kind == null) {
      return null;
    }
    Rule rule = switch (kind) {
      case "threshold", "sustained", "rate-of-change" -> summaryRule(r, id, kind, severity, description, policy);
      case "pattern" -> patternRule(r, id, severity, description, policy);
      default -> absenceRule(r, id, severity, description, policy);
    };
    return errors.size() == before ? rule : null;
  }

  private Severity severity(YamlBlock r) {
    String s = r.text("severity", false);
    if (s == null) {
      return Severity.WARNING;
    }
    try {
      return Severity.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      r.error("severity", "unknown severity '" + s + "'; one of: info, warning, critical");
      return Severity.WARNING;
    }
  }

  private AlertPolicy policy(YamlBlock b, AlertPolicy base) {
    return new AlertPolicy(
        b.duration("update-every", base.updateEveryNs()),
        b.count("clear-windows", base.clearWindows(), 1, 1000),
        b.count("stale-windows", base.staleWindows(), 1, 1000),
        b.duration("resolve-after", base.resolveAfterMs() * 1_000_000L) / 1_000_000L);
  }

  private Rule summaryRule(YamlBlock r, String id, String kind, Severity severity, String description, AlertPolicy policy) {
    Set<String> allowed = new LinkedHashSet<>(COMMON);
    allowed.addAll(List.of("source", "where", "figure"));
    switch (kind) {
      case "threshold" -> allowed.addAll(List.of("above", "below", "clear-below", "clear-above"));
      case "sustained" -> allowed.addAll(List.of("above", "below", "clear-below", "clear-above", "windows"));
      default -> allowed.addAll(List.of("factor", "baseline-windows", "min-value"));
    }
    r.rejectUnknown(allowed, "a " + kind + " rule");

    SummarySource source = null;
    String s = r.text("source", true);
    if (s != null) {
      source = Arrays.stream(SummarySource.values()).filter(x -> x.word().equals(s)).findFirst().orElse(null);
      if (source == null) {
        r.error("source", "unknown source '" + s + "'; a " + kind + " rule reads 'workload' (agg.workload figures) or 'latency' (agg.latency)");
      }
    }
    SummaryFilter filter = where(r, source);
    String figure = r.text("figure", true);
    YamlBlock.Unit unit = YamlBlock.Unit.PLAIN;
    if (figure != null && source == SummarySource.LATENCY) {
      LatencyFigure f = LatencyFigure.parse(figure);
      if (f == null) {
        r.error("figure", "unknown latency figure '" + figure + "'; one of: " + LatencyFigure.words());
        unit = YamlBlock.Unit.ANY;
      } else if (f.isDuration()) {
        unit = YamlBlock.Unit.DURATION;
      }
    } else if (figure != null && !FIGURE.matcher(figure).matches()) {
      r.error("figure", "figure '" + figure + "' must be a name from the summary's figures, e.g. exec_per_s");
    }

    Condition condition = null;
    int windows = 1;
    if (kind.equals("rate-of-change")) {
      String f = r.text("factor", true);
      Double factor = null;
      if (f != null) {
        factor = r.number("factor", YamlBlock.Unit.PLAIN);
        if (factor != null && (factor <= 0 || factor == 1)) {
          r.error("factor", "'factor' must be above 1 (a rise, e.g. 10) or between 0 and 1 (a drop, e.g. 0.1), not " + f);
          factor = null;
        }
      }
      int baselineWindows = r.count("baseline-windows", 6, 1, 10_000);
      Double minValue = r.number("min-value", unit);
      if (factor != null) {
        condition = new Condition.RateOfChange(factor, baselineWindows, minValue == null ? 0 : minValue);
      }
    } else {
      condition = threshold(r, unit);
      if (kind.equals("sustained")) {
        if (!r.has("windows")) {
          r.error((Node) null, "'windows' is missing: how many consecutive windows the condition must hold (2 or more)");
        }
        windows = r.count("windows", 2, 2, 10_000);
      }
    }
    if (source == null || figure == null || condition == null) {
      return null;
    }
    return new SummaryRule(id, kind, severity, description, source, filter, figure, condition, windows, policy);
  }

  private Condition.Threshold threshold(YamlBlock r, YamlBlock.Unit unit) {
    boolean above = r.has("above");
    boolean below = r.has("below");
    if (above == below) {
      r.error((Node) null, above ? "give either 'above' or 'below', not both" : "'above' or 'below' is missing (the limit)");
      return null;
    }
    Comparison c = above ? Comparison.ABOVE : Comparison.BELOW;
    Double limit = r.number(above ? "above" : "below", unit);
    String clearKey = above ? "clear-below" : "clear-above";
    String wrongClear = above ? "clear-above" : "clear-below";
    if (r.has(wrongClear)) {
      r.error(wrongClear, "'" + wrongClear + "' does not go with '" + (above ? "above" : "below") + "'; use '" + clearKey + "'");
    }
    Double clear = r.number(clearKey, unit);
    if (limit == null) {
      return null;
    }
    if (clear == null) {
      clear = limit;
    } else if (above ? clear > limit : clear < limit) {
      r.error(clearKey, "'" + clearKey + "' must be " + (above ? "at or below 'above'" : "at or above 'below'") + " (hysteresis)");
      return null;
    }
    return new Condition.Threshold(c, limit, clear);
  }

  private SummaryFilter where(YamlBlock r, SummarySource source) {
    if (!r.has("where")) {
      return SummaryFilter.ANY;
    }
    YamlBlock w = YamlBlock.of(file, r.node("where"), r.what() + " where", errors);
    if (w == null) {
      return SummaryFilter.ANY;
    }
    Set<String> allowed = source == SummarySource.WORKLOAD ? Set.of("scope", "host", "container") : WHERE_KEYS;
    w.rejectUnknown(allowed, "'where' of a " + (source == null ? "summary" : source.word()) + " rule");
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String v : w.texts("scope")) {
      try {
        scopes.add(Scope.valueOf(v.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        w.error("scope", "unknown scope '" + v + "'; one of: host, container, namespace, fleet");
      }
    }
    Set<String> kinds = new LinkedHashSet<>();
    for (String v : w.texts("kind")) {
      String k = v.toUpperCase(Locale.ROOT).replace('-', '_');
      if (LatencyKind.getClassSchema().getEnumSymbols().contains(k)) {
        kinds.add(k);
      } else {
        w.error("kind", "unknown latency kind '" + v + "'; one of: "
            + LatencyKind.getClassSchema().getEnumSymbols().stream().map(x -> x.toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", ")));
      }
    }
    return new SummaryFilter(scopes, kinds, Set.copyOf(w.texts("dimension")), Set.copyOf(w.texts("dimension-value")),
        Set.copyOf(w.texts("host")), Set.copyOf(w.texts("container")));
  }

  private Rule patternRule(YamlBlock r, String id, Severity severity, String description, AlertPolicy policy) {
    String name = r.text("pattern", true);
    if (name == null) {
      r.rejectUnknown(withCommon("pattern"), "a pattern rule");
      return null;
    }
    PatternSpec spec;
    switch (name) {
      case PatternSpec.ExecFromWorldWritableDir.NAME -> {
        r.rejectUnknown(withCommon("pattern", "ignore-sticky", "allow"), "pattern " + name);
        spec = new PatternSpec.ExecFromWorldWritableDir(r.flag("ignore-sticky", false), List.copyOf(r.texts("allow")));
      }
      case PatternSpec.SetuidRootExec.NAME -> {
        r.rejectUnknown(withCommon("pattern", "unprivileged-only", "allow"), "pattern " + name);
        spec = new PatternSpec.SetuidRootExec(r.flag("unprivileged-only", true), List.copyOf(r.texts("allow")));
      }
      case PatternSpec.UserNamespaceRootMapping.NAME -> {
        r.rejectUnknown(withCommon("pattern"), "pattern " + name);
        spec = new PatternSpec.UserNamespaceRootMapping();
      }
      case PatternSpec.SetnsIntoOtherContainer.NAME -> {
        r.rejectUnknown(withCommon("pattern", "unknown-target"), "pattern " + name);
        String u = r.text("unknown-target", false);
        if (u != null && !u.equals("alert") && !u.equals("ignore")) {
          r.error("unknown-target", "'unknown-target' must be 'alert' or 'ignore', not '" + u + "'");
        }
        spec = new PatternSpec.SetnsIntoOtherContainer("alert".equals(u));
      }
      case PatternSpec.ShortLivedBurst.NAME -> {
        r.rejectUnknown(withCommon("pattern", "per", "count", "within", "max-lifetime"), "pattern " + name);
        String per = r.text("per", false);
        PatternSpec.BurstScope scope = PatternSpec.BurstScope.HOST;
        if (per != null) {
          try {
            scope = PatternSpec.BurstScope.valueOf(per.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            r.error("per", "'per' must be 'host' or 'container', not '" + per + "'");
          }
        }
        if (!r.has("count")) {
          r.error((Node) null, "'count' is missing: how many short-lived processes make a burst");
        }
        int count = r.count("count", 1, 2, 100_000);
        long within = r.duration("within", 10_000_000_000L);
        long maxLifetime = r.duration("max-lifetime", 1_000_000_000L);
        spec = new PatternSpec.ShortLivedBurst(scope, count, within, maxLifetime);
      }
      default -> {
        String near = YamlBlock.closest(name, new LinkedHashSet<>(PatternSpec.names()));
        r.error("pattern", "unknown pattern '" + name + "'" + (near != null ? " (did you mean '" + near + "'?)" : "")
            + "; patterns: " + String.join(", ", PatternSpec.names()));
        return null;
      }
    }
    return new PatternRule(id, severity, description, spec, policy);
  }

  private Rule absenceRule(YamlBlock r, String id, Severity severity, String description, AlertPolicy policy) {
    r.rejectUnknown(withCommon("source", "missed", "silent-for"), "an absence rule");
    String source = r.text("source", false);
    if (source != null && !source.equals("collector.health")) {
      r.error("source", "an absence rule watches 'collector.health', not '" + source + "'");
    }
    boolean missed = r.has("missed");
    boolean silentFor = r.has("silent-for");
    if (missed == silentFor) {
      r.error((Node) null, missed
          ? "give either 'missed' (reporting intervals) or 'silent-for' (a duration), not both"
          : "'missed' (how many reporting intervals without a health record, e.g. 3) or 'silent-for' (e.g. 30s) is missing");
      return null;
    }
    int n = missed ? r.count("missed", 3, 1, 10_000) : 0;
    long ms = silentFor ? r.duration("silent-for", 30_000_000_000L) / 1_000_000L : 0;
    return new AbsenceRule(id, severity, description, n, ms, policy);
  }

  private static Set<String> withCommon(String... keys) {
    Set<String> s = new LinkedHashSet<>(COMMON);
    s.addAll(List.of(keys));
    return s;
  }
}

package dev.bpfstream.collector.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets before data leaves the host. Each pattern is searched in every argv token and
 * path; where it matches, its first capture group (or the whole match when it has none) becomes
 * {@code ***}. Defaults cover KEY=value tokens whose key looks secret and --password style flags.
 */
public final class Redactor {
  public static final String MASK = "***";
  public static final List<String> DEFAULT_PATTERNS = List.of(
      "(?is)(?:pass(?:word|wd)?|secret|token|api[_-]?key|access[_-]?key|credentials?|auth)[A-Z0-9_]*[=:](.+)",
      "(?is)^--?(?:pass(?:word)?|secret|token)=(.+)$");

  private final List<Pattern> patterns;
  private final boolean maskNextAfterFlag;

  public Redactor(List<String> patterns) {
    this.patterns = patterns.stream().map(Pattern::compile).toList();
    this.maskNextAfterFlag = !patterns.isEmpty();
  }

  public static Redactor defaults() {
    return new Redactor(DEFAULT_PATTERNS);
  }

  public static Redactor none() {
    return new Redactor(List.of());
  }

  public String redact(String s) {
    if (patterns.isEmpty() || s.isEmpty()) {
      return s;
    }
    String out = s;
    for (Pattern p : patterns) {
      Matcher m = p.matcher(out);
      if (m.find()) {
        StringBuilder sb = new StringBuilder();
        m.reset();
        while (m.find()) {
          int start = m.groupCount() >= 1 && m.start(1) >= 0 ? m.start(1) : m.start();
          int end = m.groupCount() >= 1 && m.end(1) >= 0 ? m.end(1) : m.end();
          m.appendReplacement(sb, Matcher.quoteReplacement(out.substring(m.start(), start) + MASK + out.substring(end, m.end())));
        }
        m.appendTail(sb);
        out = sb.toString();
      }
    }
    return out;
  }

  /** Redacts each token; the value after a bare "--password"/"-p"-like flag is masked too. */
  public List<String> redactArgs(List<String> argv, List<String> into) {
    into.clear();
    boolean maskNext = false;
    for (String a : argv) {
      into.add(maskNext ? MASK : redact(a));
      // Even when masked itself: in "--password --token X", X is the token's value.
      maskNext = maskNextAfterFlag && isSecretFlag(a);
    }
    return into;
  }

  private static boolean isSecretFlag(String a) {
    return a.equals("--password") || a.equals("--pass") || a.equals("--token") || a.equals("--secret")
        || a.equals("--api-key");
  }

  public boolean active() {
    return !patterns.isEmpty();
  }

  public List<String> patterns() {
    List<String> out = new ArrayList<>();
    patterns.forEach(p -> out.add(p.pattern()));
    return out;
  }
}

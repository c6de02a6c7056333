package dev.bpfstream.collector.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets before data leaves the host. Each pattern is searched in every argv token and
 * path; where it matches, its first capture group (or the whole match when it has none) becomes
 * {@code ***}. Defaults cover KEY=value tokens whose key looks secret ({@code --token=X},
 * {@code PASSWORD=X}, {@code api_key:X}). On command lines ({@link #redactArgs}) the value after a
 * secret flag ({@code --password X}, {@code --db-password X}, {@code --client-secret X}) is masked
 * too, and so is the password of the tools whose short flag takes one ({@code mysql -pX},
 * {@code sshpass -p X}, {@code redis-cli -a X}).
 */
public final class Redactor {
  public static final String MASK = "***";
  public static final List<String> DEFAULT_PATTERNS = List.of(
      "(?is)(?:pass(?:word|wd)?|secret|token|api[_-]?key|access[_-]?key|credentials?|auth)[A-Z0-9_]*[=:](.+)",
      "(?is)^--?(?:pass(?:word)?|secret|token)=(.+)$");
  /** A flag whose value is a secret: its last word names one (--password, --db-pass, --auth-token, --api-key). */
  private static final Pattern SECRET_FLAG = Pattern.compile(
      "(?i)--?(?:[a-z0-9]+[-_])*(?:pass(?:word|wd)?|secret|token|api[-_]?key|access[-_]?key|credentials?)");
  /**
   * Tools whose one-letter flag takes a password, attached or as the next argument. Elsewhere
   * {@code -p} is a port, a parent directory or a prompt, so only after one of these names.
   */
  private static final Map<String, Character> PASSWORD_SHORT_FLAG = Map.ofEntries(
      Map.entry("mysql", 'p'), Map.entry("mysqldump", 'p'), Map.entry("mysqladmin", 'p'), Map.entry("mysqlimport", 'p'),
      Map.entry("mysqlcheck", 'p'), Map.entry("mysqlshow", 'p'), Map.entry("mariadb", 'p'), Map.entry("mariadb-dump", 'p'),
      Map.entry("mariadb-admin", 'p'), Map.entry("sshpass", 'p'), Map.entry("mongo", 'p'), Map.entry("mongosh", 'p'),
      Map.entry("mongodump", 'p'), Map.entry("mongorestore", 'p'), Map.entry("mongoexport", 'p'), Map.entry("mongoimport", 'p'),
      Map.entry("redis-cli", 'a'));

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

  /**
   * Redacts each token of a command line (argv, or the words of a shell line); the value after a
   * secret flag is masked too, and a password given to a tool of {@link #PASSWORD_SHORT_FLAG} by its
   * short flag from the point its name appears (so {@code sudo mysql -pX} and {@code a | mysql -pX}).
   */
  public List<String> redactArgs(List<String> argv, List<String> into) {
    into.clear();
    boolean maskNext = false;
    char shortFlag = 0;
    for (String a : argv) {
      boolean isValue = maskNext;
      String out = isValue ? MASK : redact(a);
      // Even when masked itself: in "--password --token X", X is the token's value.
      maskNext = maskNextAfterFlag && SECRET_FLAG.matcher(a).matches();
      if (maskNextAfterFlag) {
        if (shortFlag != 0 && a.length() >= 2 && a.charAt(0) == '-' && a.charAt(1) == shortFlag) {
          if (a.length() == 2) {
            maskNext = true;
          } else if (!isValue) {
            out = "-" + shortFlag + MASK;
          }
        }
        Character flag = PASSWORD_SHORT_FLAG.get(a.substring(a.lastIndexOf('/') + 1));
        if (flag != null) {
          shortFlag = flag;
        }
      }
      into.add(out);
    }
    return into;
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

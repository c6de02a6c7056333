package dev.bpfstream.collector.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.bpfstream.fuzz.BoundedCall;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Redaction with hostile command lines: random argv (odd characters, '=' and ':' everywhere, long
 * tokens) around a secret passed the ways people pass them. The secret never survives, nothing
 * throws, and a line takes bounded time. User patterns are random text: a pattern either compiles
 * and redacts without failing, or is refused at start with one line.
 */
class RedactorFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(10));
  private static final Redactor DEFAULTS = Redactor.defaults();

  /** How a secret S appears on a command line, as the tokens carrying it. */
  private static final List<String[]> FORMS = List.of(
      new String[] {"--password", "%s"}, new String[] {"--token", "%s"}, new String[] {"--password=%s"},
      new String[] {"-password=%s"}, new String[] {"PASSWORD=%s"}, new String[] {"MYSQL_PWD_TOKEN=%s"},
      new String[] {"api_key=%s"}, new String[] {"Access-Key:%s"}, new String[] {"db.credentials=%s"},
      new String[] {"--secret", "%s"}, new String[] {"AUTH_HEADER:%s"}, new String[] {"x", "--api-key", "%s"},
      new String[] {"mysql", "-p%s"}, new String[] {"/usr/bin/sshpass", "-p", "%s"}, new String[] {"redis-cli", "-a", "%s"},
      new String[] {"--db-password", "%s"}, new String[] {"--client-secret", "%s"});

  @Provide
  Arbitrary<String> tokens() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withChars("=:-_/.aApPsStT0 ").ofMaxLength(60),
        Arbitraries.of("passpasspass", "token", "=", ":", "--", "-p", "--password", "passwd:", "auth"),
        Arbitraries.strings().withChars("pas=").ofMinLength(500).ofMaxLength(4000));
  }

  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(8).ofMaxLength(24).map(s -> "S3cr" + s);
  }

  @Property(tries = 2000)
  void aSecretOnTheCommandLineNeverSurvivesRedaction(@ForAll @Size(max = 8) List<@net.jqwik.api.From("tokens") String> around,
                                                     @ForAll("secrets") String secret, @ForAll @IntRange(max = 16) int form,
                                                     @ForAll @IntRange(max = 8) int at) {
    List<String> argv = new ArrayList<>(around);
    int i = Math.min(at, argv.size());
    for (String t : FORMS.get(form)) {
      argv.add(i++, t.formatted(secret));
    }
    BoundedCall.Outcome<List<String>> o = CALLS.run(() -> DEFAULTS.redactArgs(argv, new ArrayList<>()), argv);
    assertThat(o.thrown()).isNull();
    assertThat(o.value()).hasSameSizeAs(argv);
    assertThat(String.join(" ", o.value())).as("redacted %s", argv).doesNotContain(secret);
  }

  @Property(tries = 1000)
  void aUserPatternIsRefusedInOneLineOrRedactsWithoutFailing(@ForAll @Size(max = 30) String pattern,
                                                            @ForAll @Size(max = 6) List<@net.jqwik.api.From("tokens") String> argv) {
    Redactor r;
    try {
      Pattern.compile(pattern);
      r = new Redactor(List.of(pattern));
    } catch (PatternSyntaxException e) {
      // What `run --redact` prints: one line.
      assertThat("--redact: bad regex: " + e.getDescription()).doesNotContain("\n");
      return;
    }
    BoundedCall.Outcome<List<String>> o = CALLS.run(() -> r.redactArgs(argv, new ArrayList<>()), pattern + " on " + argv);
    assertThat(o.thrown()).as("pattern %s on %s", pattern, argv).isNull();
  }
}

package dev.bpfstream.collector.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RedactorTest {
  private final Redactor redactor = Redactor.defaults();

  private List<String> redact(String... argv) {
    return redactor.redactArgs(List.of(argv), new ArrayList<>());
  }

  @Test
  void keyValueTokensAndFlagValuesAreMasked() {
    assertThat(redact("mysql", "--password=hunter2", "-u", "root")).containsExactly("mysql", "--password=***", "-u", "root");
    assertThat(redact("run", "AWS_SECRET_ACCESS_KEY=abc", "--token", "t0k")).containsExactly("run", "AWS_SECRET_ACCESS_KEY=***", "--token", "***");
  }

  @Test
  void aSecretFlagRightAfterAnotherStillMasksItsValue() {
    // Found by RedactorFuzzTest: the second flag was masked as the first's value, and the secret after it leaked.
    assertThat(redact("tool", "--password", "--token", "S3cret")).containsExactly("tool", "--password", "***", "***");
  }

  @Test
  void aValueSpanningLinesIsMaskedWhole() {
    assertThat(redact("app", "password=line1\nS3cret")).containsExactly("app", "password=***");
  }
}

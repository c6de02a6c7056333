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

  @Test
  void theValueAfterAFlagNamingASecretIsMasked() {
    assertThat(redact("deploy", "--db-password", "pw1", "--client-secret", "cs2", "--auth-token", "at3", "--api-key", "k4"))
        .containsExactly("deploy", "--db-password", "***", "--client-secret", "***", "--auth-token", "***", "--api-key", "***");
    assertThat(redact("curl", "--token=abc", "--passwd", "x")).containsExactly("curl", "--token=***", "--passwd", "***");
    assertThat(redact("app", "--token-file", "/run/t", "--passive", "on")).containsExactly("app", "--token-file", "/run/t", "--passive", "on");
  }

  @Test
  void theShortPasswordFlagOfDatabaseAndSshToolsIsMaskedAttachedOrApart() {
    assertThat(redact("mysql", "-uroot", "-phunter2", "shop")).containsExactly("mysql", "-uroot", "-p***", "shop");
    assertThat(redact("/usr/bin/mysqldump", "-p", "hunter2", "-P", "3307")).containsExactly("/usr/bin/mysqldump", "-p", "***", "-P", "3307");
    assertThat(redact("sshpass", "-p", "hunter2", "ssh", "host")).containsExactly("sshpass", "-p", "***", "ssh", "host");
    assertThat(redact("sudo", "mysql", "-phunter2")).containsExactly("sudo", "mysql", "-p***");
    assertThat(redact("redis-cli", "-a", "hunter2", "-p", "6380")).containsExactly("redis-cli", "-a", "***", "-p", "6380");
  }

  @Test
  void elsewhereDashPIsAPortOrADirectoryAndStays() {
    assertThat(redact("ssh", "-p", "2222", "host")).containsExactly("ssh", "-p", "2222", "host");
    assertThat(redact("mkdir", "-p", "/tmp/a/b")).containsExactly("mkdir", "-p", "/tmp/a/b");
    assertThat(redact("docker", "run", "-p8080:80", "nginx")).containsExactly("docker", "run", "-p8080:80", "nginx");
  }

  @Test
  void withoutPatternsNothingIsMasked() {
    assertThat(Redactor.none().redactArgs(List.of("mysql", "-phunter2", "--password", "x"), new ArrayList<>()))
        .containsExactly("mysql", "-phunter2", "--password", "x");
  }
}

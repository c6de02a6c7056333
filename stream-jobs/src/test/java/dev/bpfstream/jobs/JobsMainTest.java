package dev.bpfstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class JobsMainTest {

  @Test
  void badInputGetsOneLineNamingTheFix() {
    StringWriter err = new StringWriter();
    CommandLine cl = JobsMain.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("latency", "--bootstrap-servers", "127.0.0.1:1", "--window", "ten seconds");
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("Invalid value for option '--window': 'ten seconds' is not a duration: write a number and a unit")
        .doesNotContain("\tat ");
  }

  @Test
  void aBareNumberIsNoDurationOnAnyCommand() {
    for (String[] args : new String[][] {{"latency", "--window", "10"}, {"alerts", "tail", "--idle-exit", "10"},
        {"generate", "--interval", "10"}}) {
      StringWriter err = new StringWriter();
      CommandLine cl = JobsMain.commandLine();
      cl.setErr(new PrintWriter(err));
      assertThat(cl.execute(args)).isNotZero();
      assertThat(err.toString()).contains("'10' needs a unit: 10s, 10ms, 10m, ...").doesNotContain("\tat ");
    }
  }

  @Test
  void everyJobAndTheGeneratorIsACommand() {
    assertThat(JobsMain.commandLine().getSubcommands()).containsKeys("workload", "latency", "generate");
  }
}

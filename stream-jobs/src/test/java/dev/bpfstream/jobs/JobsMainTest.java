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
    assertThat(err.toString()).contains("'ten seconds' is not a duration: write e.g. 500ms, 10s, 1m").doesNotContain("\tat ");
  }

  @Test
  void everyJobAndTheGeneratorIsACommand() {
    assertThat(JobsMain.commandLine().getSubcommands()).containsKeys("workload", "latency", "generate");
  }
}

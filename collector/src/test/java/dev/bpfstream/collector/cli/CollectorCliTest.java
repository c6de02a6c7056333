package dev.bpfstream.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.broker.junit.Prerequisites;
import org.junit.jupiter.api.Test;

/** Bad input gets one line naming the fix, never a stack trace. */
class CollectorCliTest {

  record Outcome(int code, String out, String err) {
  }

  static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = CollectorMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void anUnknownOptionIsOneLineWithAPointerToHelp() {
    Outcome o = run("run", "--no-such-option");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err().strip()).doesNotContain("\n").contains("--no-such-option").contains("--help");
  }

  @Test
  void aMalformedValueNamesTheOptionAndTheExpectedForm() {
    Outcome o = run("run", "--interval", "ten");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err().strip()).doesNotContain("\n").contains("'ten' is not a duration");
  }

  @Test
  void anUnknownProbeListsTheKnownOnes() {
    Outcome o = run("run", "--stdout", "--probes", "exec,nosuch");
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.err().strip()).doesNotContain("\n").contains("unknown probe 'nosuch'").contains("exec");
  }

  @Test
  void theMetricsEndpointListensOnLoopbackUnlessToldAndANameIsRefused() {
    RunCommand defaults = new RunCommand();
    new picocli.CommandLine(defaults).parseArgs("--reader", "ringbuf");
    RunCommand told = new RunCommand();
    new picocli.CommandLine(told).parseArgs("--reader", "ringbuf", "--metrics-bind", "0.0.0.0");

    assertThat(defaults.config().metricsBind()).isEqualTo("127.0.0.1");
    assertThat(told.config().metricsBind()).isEqualTo("0.0.0.0");
    Outcome o = run("run", "--stdout", "--metrics-bind", "pod-ip");
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.err().strip()).doesNotContain("\n").contains("--metrics-bind must be an IP address");
  }

  @Test
  void anImpossibleRingSizeIsRefusedWithTheRule() {
    Outcome o = run("run", "--stdout", "--ring-bytes", "1000");
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.err().strip()).doesNotContain("\n").contains("--ring-bytes must be a power of two");
  }

  @Test
  void textFormatIsForStdoutOnlyAndAnUnknownFormatIsRefused() {
    Outcome toKafka = run("run", "--format", "text");
    assertThat(toKafka.code()).isEqualTo(1);
    assertThat(toKafka.err().strip()).doesNotContain("\n").contains("--format text is for --stdout");
    Outcome unknown = run("run", "--stdout", "--format", "xml");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err().strip()).doesNotContain("\n").contains("--format must be json or text");
  }

  @Test
  void allAndDefaultExpandToProbeNamesEachOnce() {
    RunCommand all = new picocli.CommandLine(new RunCommand()).parseArgs("--probes", "tcp,all").asCommandLineList()
        .get(0).getCommand();
    List<String> catalog = dev.bpfstream.collector.probes.ProbeCatalog.names();
    assertThat(all.probeNames()).hasSameSizeAs(catalog).startsWith("tcp").containsAll(catalog);
    RunCommand mixed = new picocli.CommandLine(new RunCommand()).parseArgs("--probes", "open,default").asCommandLineList()
        .get(0).getCommand();
    assertThat(mixed.probeNames()).containsExactly("open", "exec", "exit", "nslifecycle");
  }

  @Test
  void withoutCapabilitiesTheCollectorSaysWhichAreMissingInOneLine() throws Exception {
    Prerequisites.requireCommand("setpriv", "util-linux");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--",
        java, "-cp", System.getProperty("java.class.path"), CollectorMain.class.getName(),
        "run", "--stdout", "--duration", "1s", "--metrics-port", "0")).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isEqualTo(1);
    assertThat(out).isEmpty();
    assertThat(err.strip()).doesNotContain("\n").doesNotContain("Exception")
        .contains("missing CAP_BPF").contains("missing CAP_PERFMON");
  }
}

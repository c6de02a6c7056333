package dev.bpfstream.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.RateLimit;
import dev.bpfstream.collector.probes.BashReadlineProbe;
import dev.bpfstream.collector.probes.ExecProbe;
import dev.bpfstream.collector.probes.ExitProbe;
import dev.bpfstream.collector.probes.OpenProbe;
import dev.bpfstream.collector.probes.ProbeCatalog;
import dev.bpfstream.collector.probes.ProfileProbe;
import dev.bpfstream.collector.probes.RunqLengthProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config file with a problem is refused at start with file, line, key and reason. */
class ConfigFileTest {
  @TempDir
  Path dir;

  private CollectorCliTest.Outcome runWith(String yaml, String... more) throws Exception {
    Path f = dir.resolve("collector.yaml");
    Files.writeString(f, yaml);
    String[] args = new String[3 + more.length];
    args[0] = "run";
    args[1] = "--config";
    args[2] = f.toString();
    System.arraycopy(more, 0, args, 3, more.length);
    return CollectorCliTest.run(args);
  }

  @Test
  void anUnknownKeyIsNamedWithItsLineAndTheNearestRealKey() throws Exception {
    var o = runWith("stdout: true\nintervall: 10s\n");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("collector.yaml:2: unknown key 'intervall' (did you mean 'interval'?)");
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithItsLine() throws Exception {
    var o = runWith("stdout: true\ninterval: ten\nring-bytes: lots\n");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("collector.yaml:2: key 'interval'").contains("'ten' is not a duration")
        .contains("collector.yaml:3: key 'ring-bytes'");
  }

  @Test
  void anImpossibleValueIsNamedWithItsLineAndTheRule() throws Exception {
    var o = runWith("ring-bytes: 1000\nspool-policy: sometimes\nprobes: [exec, nosuch]\n");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("collector.yaml:1: key 'ring-bytes': --ring-bytes must be a power of two")
        .contains("collector.yaml:2: key 'spool-policy'")
        .contains("collector.yaml:3: key 'probes': --probes: unknown probe 'nosuch'");
  }

  @Test
  void aSwitchNeedsTrueOrFalseAndAListOnlyWhereListsAreAllowed() throws Exception {
    var o = runWith("stdout: yes please\nhost-id: [a, b]\n");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("collector.yaml:1: key 'stdout' is a switch: true or false")
        .contains("collector.yaml:2: key 'host-id' takes one value, not a list");
  }

  @Test
  void brokenYamlIsOneLineWithWhereItBreaks() throws Exception {
    var o = runWith("stdout: true\n  interval: [10s\n");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err().strip()).startsWith("collector: ").contains("collector.yaml:").contains("not valid YAML").doesNotContain("\n\tat ");
  }

  @Test
  void aGoodFileIsTakenAndTheCommandLineWins() throws Exception {
    Path f = dir.resolve("collector.yaml");
    Files.writeString(f, "stdout: true\ninterval: 5s\nprobes: [exec, exit]\nredact: ['token=(\\S+)']\n");
    String[] expanded = CollectorMain.withConfigFile(new String[] {"run", "--config", f.toString(), "--interval", "7s"},
        new picocli.CommandLine(new CollectorMain()).getSubcommands().get("run").getCommandSpec());
    RunCommand run = new RunCommand();
    new picocli.CommandLine(run).setOverwrittenOptionsAllowed(true).parseArgs(java.util.Arrays.copyOfRange(expanded, 1, expanded.length));
    assertThat(run.interval).hasSeconds(7);
    assertThat(run.stdout).isTrue();
    assertThat(run.probes).containsExactly("exec", "exit");
    assertThat(run.redact).containsExactly("token=(\\S+)");
  }

  @Test
  void falseForASwitchThatDefaultsToTrueTurnsItOff() throws Exception {
    RunCommand run = parsed("host-metrics: false\nstdout: false\n");
    assertThat(run.hostMetrics).as("host-metrics: false used to be dropped, leaving the default on").isFalse();
    assertThat(run.stdout).isFalse();
    assertThat(parsed("host-metrics: true\n").hostMetrics).isTrue();
  }

  @Test
  void valuesOnlyTheStartCheckedAreRefusedWithTheirLine() throws Exception {
    var o = runWith("stdout: true\nprofile-hz: 0\nprobe-option: [fileslow.min-latncy=5ms]\nspool-max-bytes: 1K\n");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("collector.yaml:2: key 'profile-hz': --profile-hz: must be between 1 and 10000 (alias of --probe-option profile.hz)")
        .contains("collector.yaml:3: key 'probe-option': --probe-option fileslow.min-latncy: probe fileslow has no option 'min-latncy'")
        .contains("collector.yaml:4: key 'spool-max-bytes': --spool-max-bytes must be at least 64K");
  }

  @Test
  void aKeyGivenTwiceIsRefusedWithBothLines() throws Exception {
    var o = runWith("stdout: true\ninterval: 5s\ninterval: 7s\n");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("collector.yaml:3: key 'interval' appears twice (first at line 2)");
  }

  @Test
  void bytesThatAreNotUtf8OrCharactersYamlForbidsAreOneLineWithTheirPlace() throws Exception {
    Path f = dir.resolve("collector.yaml");
    Files.write(f, new byte[] {'s', 't', 'd', 'o', 'u', 't', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
    var o = CollectorCliTest.run("run", "--config", f.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err().strip()).isEqualTo("collector: " + f + ": not UTF-8 text; a config file is YAML in UTF-8");

    var c = runWith("stdout: true\ninterval: 1\u0000s\n");
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err().strip()).isEqualTo("collector: " + f + ":2: not valid YAML: character U+0000 is not allowed");
  }

  @Test
  void anUnknownKeyWithALineBreakInItStaysOnOneLine() throws Exception {
    var o = runWith("\"inter\\nval\": 5s\n");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err().strip()).isEqualTo("collector: " + dir.resolve("collector.yaml") + ":1: unknown key 'inter\\u000aval' (did you mean 'interval'?)");
  }

  @Test
  void aKafkaPropertiesFileWithABadEscapeIsNamed() throws Exception {
    Path f = dir.resolve("kafka.properties");
    Files.writeString(f, "sasl.jaas.config=\\uZZZZ\n");
    RunCommand run = new RunCommand();
    new picocli.CommandLine(run).parseArgs("--kafka-config", f.toString());
    org.assertj.core.api.Assertions.assertThatThrownBy(run::kafkaProperties).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--kafka-config " + f + ": not a properties file (");
  }

  private RunCommand parsed(String yaml) throws Exception {
    Path f = dir.resolve("collector.yaml");
    Files.writeString(f, yaml);
    String[] expanded = CollectorMain.withConfigFile(new String[] {"run", "--config", f.toString()},
        new picocli.CommandLine(new CollectorMain()).getSubcommands().get("run").getCommandSpec());
    RunCommand run = new RunCommand();
    new picocli.CommandLine(run).setOverwrittenOptionsAllowed(true).parseArgs(java.util.Arrays.copyOfRange(expanded, 1, expanded.length));
    return run;
  }

  @Test
  void aBadProbeOptionIsNamedWithItsLine() throws Exception {
    var o = runWith("stdout: true\nprobe-option: [open.max-rate=fast]\n");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("collector.yaml:2: key 'probe-option'").contains("open.max-rate=fast: not a whole number");
  }

  @Test
  void theOldProbeFlagsAreAliasesOfTheirProbeOptionsWhichWin() throws Exception {
    RunCommand run = parsed("argv-max-bytes: 2048\nprofile-hz: 199\nrunqlen-hz: 10\nshell: [/bin/bash, /opt/bash]\n"
        + "probe-option: [runqlen.hz=50]\n");
    ProbeOptions options = run.probeOptions();
    assertThat(options.number(new ExecProbe(), "argv-max-bytes")).isEqualTo(2048);
    assertThat(options.number(new ProfileProbe(), "hz")).isEqualTo(199);
    assertThat(options.number(new RunqLengthProbe(), "hz")).isEqualTo(50);
    assertThat(options.list(new BashReadlineProbe(), "shells")).containsExactly("/bin/bash", "/opt/bash");
    ProbeOptions defaults = parsed("stdout: true\n").probeOptions();
    assertThat(defaults.number(new ExecProbe(), "argv-max-bytes")).isEqualTo(1024);
    assertThat(defaults.number(new ProfileProbe(), "hz")).isEqualTo(49);
    assertThat(defaults.list(new BashReadlineProbe(), "shells")).containsExactly("/bin/bash");
  }

  @Test
  void theShippedExampleIsTakenWithItsRateLimits() throws Exception {
    Path f = Path.of("../conf/collector.yaml");
    String[] expanded = CollectorMain.withConfigFile(new String[] {"run", "--config", f.toString()},
        new picocli.CommandLine(new CollectorMain()).getSubcommands().get("run").getCommandSpec());
    RunCommand run = new RunCommand();
    new picocli.CommandLine(run).parseArgs(java.util.Arrays.copyOfRange(expanded, 1, expanded.length));
    run.validate();
    ProbeOptions options = ProbeCatalog.options(run.probeOptions);
    assertThat(RateLimit.of(new OpenProbe(), options)).isEqualTo(new RateLimit(5000, 20000));
    assertThat(RateLimit.of(new ExecProbe(), options)).isEqualTo(new RateLimit(2000, 0));
    assertThat(RateLimit.of(new ExitProbe(), options).unlimited()).isTrue();
  }
}

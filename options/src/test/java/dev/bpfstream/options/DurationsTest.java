package dev.bpfstream.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

class DurationsTest {
  @Test
  void aNumberAndAUnit() {
    assertThat(Durations.parse("250ns")).isEqualTo(Duration.ofNanos(250));
    assertThat(Durations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(Durations.parse("250µs")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse(" 10 S ")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void decimalsAndSumsAreExact() {
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("0.1ms")).isEqualTo(Duration.ofNanos(100_000));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1m 30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("0.4ns")).isEqualTo(Duration.ZERO);
  }

  @Test
  void isoEightySixOhOneToo() {
    assertThat(Durations.parse("PT10S")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("pt1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("P1D")).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void zeroAloneNeedsNoUnitButOtherBareNumbersAreRefusedWithTheFix() {
    assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> Durations.parse("10")).hasMessage("'10' needs a unit: 10s, 10ms, 10m, ...");
    assertThatThrownBy(() -> Durations.parse("1.5")).hasMessage("'1.5' needs a unit: 1.5s, 1.5ms, 1.5m, ...");
  }

  @Test
  void whatIsNotADurationIsRefusedInOneLine() {
    assertThatThrownBy(() -> Durations.parse("ten seconds")).hasMessage(
        "'ten seconds' is not a duration: write a number and a unit (ns, us, ms, s, m, h, d), e.g. 10s, 500ms, 5m, 1h30m");
    assertThatThrownBy(() -> Durations.parse("")).hasMessageStartingWith("'' is not a duration");
    assertThatThrownBy(() -> Durations.parse("10s5")).hasMessageStartingWith("'10s5' is not a duration");
    assertThatThrownBy(() -> Durations.parse("1y")).hasMessageStartingWith("'1y' is not a duration");
    assertThatThrownBy(() -> Durations.parse("-5s")).hasMessageStartingWith("'-5s' is not a duration");
    assertThatThrownBy(() -> Durations.parse("PT-5S")).hasMessageStartingWith("'PT-5S' is negative");
    assertThatThrownBy(() -> Durations.parse("1\ns")).hasMessageStartingWith("'1\\u000as' is not a duration");
  }

  @Test
  void aDurationFitsInALongOfNanoseconds() {
    assertThat(Durations.parse(Long.MAX_VALUE + "ns")).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    assertThatThrownBy(() -> Durations.parse("106752d")).hasMessage("'106752d' is too long a duration (at most 292 years)");
    assertThatThrownBy(() -> Durations.parse("99999999999999999999999h")).hasMessageContaining("too long");
    assertThatThrownBy(() -> Durations.parse("PT9999999999999H")).hasMessageContaining("too long");
  }

  @Test
  void formatsReadably() {
    assertThat(Durations.format(73_200_000)).isEqualTo("73.2ms");
    assertThat(Durations.format(2_000_000_000)).isEqualTo("2s");
    assertThat(Durations.format(850_000)).isEqualTo("850us");
    assertThat(Durations.trim(1.5)).isEqualTo("1.5");
  }

  static final class Command {
    @Option(names = "--window", defaultValue = "10s", converter = DurationConverter.class)
    Duration window;

    @Option(names = "--max-ahead", defaultValue = "5m", converter = DurationOrOffConverter.class)
    Duration maxAhead;
  }

  private static Command parse(String... args) {
    Command c = new Command();
    new CommandLine(c).parseArgs(args);
    return c;
  }

  @Test
  void theConvertersNameTheOptionAndTheFix() {
    assertThat(parse().window).isEqualTo(Duration.ofSeconds(10));
    assertThat(parse("--window", "PT1M").window).isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(() -> parse("--window", "10")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("Invalid value for option '--window': '10' needs a unit: 10s, 10ms, 10m, ...");
    assertThatThrownBy(() -> parse("--window", "0")).hasMessage("Invalid value for option '--window': '0' must be above zero, e.g. 10s, 500ms, 5m");
    assertThatThrownBy(() -> parse("--window", "0s")).hasMessageContaining("must be above zero");
  }

  @Test
  void aLimitCanBeOff() {
    assertThat(parse().maxAhead).isEqualTo(Duration.ofMinutes(5));
    assertThat(parse("--max-ahead", "off").maxAhead).isZero();
    assertThat(parse("--max-ahead", "OFF").maxAhead).isZero();
    assertThat(parse("--max-ahead", "0").maxAhead).isZero();
    assertThat(parse("--max-ahead", "90s").maxAhead).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> parse("--max-ahead", "soon")).hasMessageContaining("'soon' is not a duration");
  }
}

package dev.bpfstream.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import dev.bpfstream.fuzz.BoundedCall;
import dev.bpfstream.fuzz.TextMutation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every duration anyone types goes through {@link Durations#parse}: random and mutated text is
 * refused in one line that quotes it, or read as a duration of zero or more; a number and a unit
 * read as exactly their product.
 */
class DurationsFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(10));
  private static final List<String> UNITS = List.of("ns", "us", "µs", "ms", "s", "m", "h", "d");
  private static final long[] UNIT_NANOS = {1, 1_000, 1_000, 1_000_000, 1_000_000_000, 60_000_000_000L, 3_600_000_000_000L,
      86_400_000_000_000L};

  @Provide
  Arbitrary<String> validDurations() {
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.longs().between(0, 1_000_000), Arbitraries.of(UNITS)).as((n, u) -> n + u),
        Arbitraries.of("1h30m", "1.5s", "PT10S", "P1D", "0", "500ms", "1m 30s"));
  }

  @Property(tries = 2000)
  void mutatedDurationsAreRefusedInOneLineOrRead(@ForAll("validDurations") String valid,
                                                 @ForAll("mutations") List<TextMutation> mutations) {
    check(TextMutation.applyAll(valid, mutations));
  }

  @Provide
  Arbitrary<List<TextMutation>> mutations() {
    return TextMutation.some();
  }

  @Property(tries = 1000)
  void randomTextIsRefusedInOneLineOrRead(@ForAll String text) {
    check(text);
  }

  @Property(tries = 500)
  void aNumberAndAUnitAreTheirProduct(@ForAll("units") int unit, @ForAll("amounts") BigDecimal amount) {
    BigDecimal nanos = amount.multiply(BigDecimal.valueOf(UNIT_NANOS[unit]));
    String text = amount.toPlainString() + UNITS.get(unit);
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      BoundedCall.Outcome<Duration> o = CALLS.run(() -> Durations.parse(text), text);
      assertThat(o.thrown()).hasMessage("'" + text + "' is too long a duration (at most 292 years)");
    } else {
      assertThat(Durations.parse(text).toNanos()).isEqualTo(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
    }
  }

  @Provide
  Arbitrary<Integer> units() {
    return Arbitraries.integers().between(0, UNITS.size() - 1);
  }

  @Provide
  Arbitrary<BigDecimal> amounts() {
    return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("1e20")).ofScale(3);
  }

  private static void check(String text) {
    BoundedCall.Outcome<Duration> o = CALLS.run(() -> Durations.parse(text), text);
    if (o.thrown() != null) {
      assertThat(o.thrown()).as("for %s", text).isExactlyInstanceOf(IllegalArgumentException.class);
      assertThat(o.thrown().getMessage()).startsWith("'").doesNotContain("\n", "\r", "\u2028").hasSizeLessThan(300);
    } else {
      assertThat(o.value()).as("for %s", text).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
    }
  }
}

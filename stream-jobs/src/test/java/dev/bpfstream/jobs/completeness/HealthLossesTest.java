package dev.bpfstream.jobs.completeness;

import static dev.bpfstream.jobs.testing.Records.SECOND;
import static dev.bpfstream.jobs.testing.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfstream.jobs.testing.Records;
import org.junit.jupiter.api.Test;

class HealthLossesTest {

  @Test
  void firstReportOfARunCountsEverythingAndLaterOnesTheDifference() {
    HealthLosses.Step first = HealthLosses.step(null, Records.health("h", T0 + 10 * SECOND, T0, 4));
    assertThat(first.lost()).isEqualTo(4);
    HealthLosses.Step second = HealthLosses.step(first.last(), Records.health("h", T0 + 20 * SECOND, T0, 10));
    assertThat(second.lost()).isEqualTo(6);
  }

  @Test
  void aCollectorAlreadyRunningWhenFirstSeenOnlySetsTheBase() {
    HealthLosses.Step first = HealthLosses.step(null, Records.health("h", T0 + 3600 * SECOND, T0, 500));
    assertThat(first.lost()).isZero();
    assertThat(HealthLosses.step(first.last(), Records.health("h", T0 + 3610 * SECOND, T0, 503)).lost()).isEqualTo(3);
  }

  @Test
  void aRestartIsDetectedByStartedNsAndItsCountersTakenWhole() {
    HealthLosses.Step before = HealthLosses.step(null, Records.health("h", T0 + 10 * SECOND, T0, 50));
    HealthLosses.Step restarted = HealthLosses.step(before.last(), Records.health("h", T0 + 30 * SECOND, T0 + 25 * SECOND, 2));
    assertThat(restarted.lost()).isEqualTo(2);
    assertThat(restarted.last().startedNs()).isEqualTo(T0 + 25 * SECOND);
  }

  @Test
  void staleOrRepeatedReportsAddNothing() {
    HealthLosses.Step a = HealthLosses.step(null, Records.health("h", T0 + 20 * SECOND, T0, 5));
    HealthLosses.Step repeated = HealthLosses.step(a.last(), Records.health("h", T0 + 20 * SECOND, T0, 5));
    assertThat(repeated.stale()).isTrue();
    assertThat(repeated.lost()).isZero();
    HealthLosses.Step olderRun = HealthLosses.step(a.last(), Records.health("h", T0 + 30 * SECOND, T0 - SECOND, 9));
    assertThat(olderRun.stale()).isTrue();
  }
}

package dev.bpfstream.jobs.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfstream.event.CommandEntry;
import org.junit.jupiter.api.Test;

class CommandCounterTest {

  @Test
  void thirtyShortLivedProcessesOfOneCommandAreOneEntryOfThirtyProcesses() {
    CommandCounter c = new CommandCounter();
    for (int pid = 1000; pid < 1030; pid++) {
      c.add("true", pid, "/usr/bin/true", 1, 0, 0);
      c.add("true", pid, null, 1, 0, 0);
    }
    c.add("bash", 7, null, 3, 0, 0);
    assertThat(c.top(10)).containsExactly(new CommandEntry("true", "/usr/bin/true", 30L, 60L, 0L, 0L),
        new CommandEntry("bash", "", 1L, 3L, 0L, 0L));
  }

  @Test
  void aPidIsAProcessOfItsHostSoTheFleetAddsHostsAndTheRollupCountsItOnce() {
    CommandCounter a = new CommandCounter();
    a.add("sh", 1, "/bin/sh", 1, 0, 0);
    a.add("sh", 2, "/bin/sh", 1, 0, 0);
    CommandCounter laterOnA = new CommandCounter();
    laterOnA.add("sh", 2, null, 1, 0, 0);
    laterOnA.add("sh", 3, null, 1, 0, 0);
    CommandCounter b = new CommandCounter();
    b.add("sh", 1, "/usr/bin/sh", 1, 0, 0);

    a.merge(laterOnA, null);
    assertThat(a.top(1)).containsExactly(new CommandEntry("sh", "/bin/sh", 3L, 4L, 0L, 0L));
    CommandCounter fleet = new CommandCounter();
    fleet.merge(a, "a:");
    fleet.merge(b, "b:");
    assertThat(fleet.top(1)).containsExactly(new CommandEntry("sh", "/bin/sh", 4L, 5L, 0L, 0L));

    CommandCounter nextWindowOfA = new CommandCounter();
    nextWindowOfA.add("sh", 3, null, 1, 0, 0);
    CommandCounter nextFleetWindow = new CommandCounter();
    nextFleetWindow.merge(nextWindowOfA, "a:");
    fleet.merge(nextFleetWindow, null); // the rollup: process 3 of host a was in both windows
    assertThat(fleet.top(1)).containsExactly(new CommandEntry("sh", "/bin/sh", 4L, 6L, 0L, 0L));
  }

  @Test
  void stateWithoutCommandsGetsThemFromItsTopProcessesWithoutExecutables() {
    TopCounter processes = new TopCounter();
    processes.add("true/100", 2, 0, 0);
    processes.add("true/101", 2, 0, 0);
    processes.add("kworker/0:1/7", 1, 0, 3);
    CommandCounter c = new CommandCounter();
    c.addProcesses(processes, false);
    assertThat(c.top(2)).containsExactly(new CommandEntry("true", "", 2L, 4L, 0L, 0L), new CommandEntry("kworker/0:1", "", 1L, 1L, 0L, 3L));

    TopCounter fleetProcesses = new TopCounter();
    fleetProcesses.add("a.local:true/100", 2, 0, 0);
    fleetProcesses.add("b.local:true/100", 2, 0, 0);
    CommandCounter fleet = new CommandCounter();
    fleet.addProcesses(fleetProcesses, true);
    CommandCounter later = new CommandCounter();
    later.add("true", 100, "/usr/bin/true", 1, 0, 0);
    fleet.merge(later, "a.local:"); // the same process of host a, its exec after the restore
    assertThat(fleet.top(1)).containsExactly(new CommandEntry("true", "/usr/bin/true", 2L, 5L, 0L, 0L));
  }

  @Test
  void pastTheKeptPidsEachExecIsOneProcessMore() {
    CommandCounter c = new CommandCounter();
    int n = CommandCounter.PIDS_KEPT + 500;
    for (int pid = 0; pid < n; pid++) {
      c.add("true", pid, "/usr/bin/true", 1, 0, 0);
      c.add("true", pid, null, 1, 0, 0);
    }
    assertThat(c.top(1).get(0).getProcesses()).isEqualTo(n);
    assertThat(c.copy().top(1)).isEqualTo(c.top(1));
  }

  @Test
  void beyondTheCapacityTheSmallestCommandsFoldIntoOtherWithTheirProcesses() {
    CommandCounter c = new CommandCounter(2);
    for (int i = 0; i < 5; i++) {
      c.add("cmd" + i, 100 + i, null, 10 - i, 0, 0);
    }
    assertThat(c.size()).isEqualTo(3);
    assertThat(c.top(3)).extracting(CommandEntry::getComm, CommandEntry::getProcesses, CommandEntry::getEvents)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("(other)", 3L, 21L), org.assertj.core.groups.Tuple.tuple("cmd0", 1L, 10L),
            org.assertj.core.groups.Tuple.tuple("cmd1", 1L, 9L));
  }
}

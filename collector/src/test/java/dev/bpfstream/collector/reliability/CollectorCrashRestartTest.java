package dev.bpfstream.collector.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.collector.KafkaTopics;
import dev.bpfstream.collector.bpf.Privileges;
import dev.bpfstream.collector.bpf.Tracefs;
import dev.bpfstream.collector.testing.BpfHandles;
import dev.bpfstream.collector.testing.CProgram;
import dev.bpfstream.collector.testing.CollectorProcess;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.FileOpen;
import dev.bpfstream.event.ProbeHealth;
import dev.bpfstream.schema.Topic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector killed with SIGKILL under load (Kafka up; the spool case is SpoolAcrossRestartTest):
 * none of its BPF programs, maps or links outlive it (nothing is pinned: they go when its fds
 * close), and a new collector with the same host id makes the gap visible downstream without
 * re-sending anything. The load opens DIR/0, DIR/1, ... in order, so each open is identified by
 * its number: the gap is the numbers neither collector saw, a duplicate is a number seen twice.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CollectorCrashRestartTest {
  static final String OPENSEQ = """
      // openseq DIR RATE: opens DIR/0, DIR/1, ... (a missing dir: each fails) RATE times a second until killed.
      #include <fcntl.h>
      #include <stdio.h>
      #include <stdlib.h>
      #include <time.h>
      #include <unistd.h>
      int main(int argc, char **argv) {
        long rate = atol(argv[2]);
        char path[4096];
        struct timespec t0, now;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long i = 0;; i++) {
          snprintf(path, sizeof(path), "%s/%ld", argv[1], i);
          int fd = open(path, O_RDONLY);
          if (fd >= 0) close(fd);
          if (i % 100 == 99) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            double ahead = (i + 1) / (double)rate - ((now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9);
            if (ahead > 0) {
              struct timespec d = {(time_t)ahead, (long)((ahead - (time_t)ahead) * 1e9)};
              nanosleep(&d, NULL);
            }
          }
        }
      }
      """;
  static final int RATE = 2000;

  @TempDir
  Path dir;

  @BeforeAll
  static void prerequisites() {
    Prerequisites.require(Privileges.missing().isEmpty() ? null : String.join("; ", Privileges.missing()));
    Prerequisites.require(CProgram.missingCompiler());
    Prerequisites.require(BpfHandles.missingBpftool());
    Tracefs.ensureMounted();
  }

  @Test
  void aKilledCollectorLeavesNoBpfObjectsAndItsSuccessorShowsTheGapWithoutResendingAnything(TestBroker broker) throws Exception {
    String host = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    String prefix = host + ".";
    String marks = dir.resolve("marks-" + host).toString() + "/"; // never created: every open fails
    List<String> args = List.of("--bootstrap-servers", broker.bootstrapServers(), "--probes", "exec,open",
        "--host-id", host, "--topic-prefix", prefix, "--interval", "1s", "--no-host-metrics",
        "--spool-dir", dir.resolve("spool").toString());
    Path openseq = CProgram.compile(dir, "openseq", OPENSEQ, "-O2");
    Process load = new ProcessBuilder(openseq.toString(), marks.substring(0, marks.length() - 1), Integer.toString(RATE))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      crashAndRestart(broker, prefix, marks, args, load);
    } finally {
      load.destroyForcibly();
      load.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void crashAndRestart(TestBroker broker, String prefix, String marks, List<String> args, Process load)
      throws Exception {
    BpfHandles held;
    try (CollectorProcess first = CollectorProcess.start(dir.resolve("first.log"), List.of("-Xmx256m"), args)) {
      first.awaitStarted(Duration.ofSeconds(60));
      KafkaTopics.readUntil(broker, prefix, Topic.OPEN, FileOpen.class, l -> ours(l, marks).size() >= RATE, Duration.ofSeconds(60));
      KafkaTopics.readUntil(broker, prefix, Topic.HEALTH, CollectorHealth.class, l -> !l.isEmpty(), Duration.ofSeconds(30));
      held = BpfHandles.heldBy(first.pid());
      assertThat(held.progs()).as("exec (1) and open (up to 4) programs").hasSizeGreaterThanOrEqualTo(2);
      assertThat(held.maps()).isNotEmpty();
      first.kill(); // SIGKILL under load: no detach, no flush, no last report
    }

    // The kernel frees a program, map or link when its last reference goes. The dead process's fds
    // were the only ones, so every id it held disappears (freeing is RCU-deferred); one pinned under
    // /sys/fs/bpf, or held by anything else, would keep its id alive and fail here.
    BpfHandles left = held.stillIn(BpfHandles.inKernel());
    for (int i = 0; i < 100 && !left.isEmpty(); i++) {
      Thread.sleep(100);
      left = held.stillIn(BpfHandles.inKernel());
    }
    assertThat(left).as("BPF objects of the killed collector still in the kernel: " + left).matches(BpfHandles::isEmpty);

    Thread.sleep(1000); // the load goes on with no collector: the gap
    try (CollectorProcess second = CollectorProcess.start(dir.resolve("second.log"), List.of("-Xmx256m"), args)) {
      second.awaitStarted(Duration.ofSeconds(60));
      KafkaTopics.readUntil(broker, prefix, Topic.HEALTH, CollectorHealth.class,
          l -> l.stream().map(CollectorHealth::getStartedNs).distinct().count() == 2, Duration.ofSeconds(30));
      Thread.sleep(2000); // some load seen by the second collector
      load.destroy();
      load.waitFor(10, TimeUnit.SECONDS);
      second.stop(Duration.ofSeconds(60)); // its last health report is exact
    }

    List<CollectorHealth> health = KafkaTopics.readAll(broker, prefix + Topic.HEALTH.topicName(), CollectorHealth.class);
    List<Long> runs = health.stream().map(CollectorHealth::getStartedNs).distinct().sorted().toList();
    assertThat(runs).as("each collector run reports its own start: the restart is visible in health").hasSize(2);
    long secondStarted = runs.get(1);
    CollectorHealth lastOfSecond = health.stream().filter(h -> h.getStartedNs() == secondStarted)
        .reduce((a, b) -> b).orElseThrow();
    ProbeHealth openHealth = lastOfSecond.getProbes().stream().filter(p -> p.getProbe().equals("open")).findFirst().orElseThrow();

    List<FileOpen> opens = KafkaTopics.readAll(broker, prefix + Topic.OPEN.topicName(), FileOpen.class);
    // No record is in Kafka twice: by the kernel's identity of an event (cpu, seq, time) over the
    // whole topic, and by the load's own numbering.
    Set<String> identities = new HashSet<>();
    long sameIdentity = opens.stream().filter(o -> !identities.add(
        o.getCtx().getCpu() + "/" + o.getCtx().getSeq() + "/" + o.getCtx().getTimeNs())).count();
    List<FileOpen> ours = ours(opens, marks);
    Map<Boolean, TreeSet<Long>> byRun = ours.stream().collect(Collectors.partitioningBy(
        o -> o.getCtx().getTimeNs() >= secondStarted,
        Collectors.mapping(o -> index(o, marks), Collectors.toCollection(TreeSet::new))));
    TreeSet<Long> firstRun = byRun.get(false);
    TreeSet<Long> secondRun = byRun.get(true);
    long duplicates = ours.size() - (firstRun.size() + secondRun.size());
    long gap = secondRun.first() - firstRun.last() - 1;
    long missingInFirst = firstRun.last() - firstRun.first() + 1 - firstRun.size();
    long missingInSecond = secondRun.last() - secondRun.first() + 1 - secondRun.size();
    long secondMinSeq = opens.stream().filter(o -> o.getCtx().getTimeNs() >= secondStarted)
        .mapToLong(o -> o.getCtx().getSeq()).min().orElseThrow();
    List<FileOpen> opensOfFirst = opens.stream().filter(o -> o.getCtx().getTimeNs() < secondStarted).toList();
    long firstMaxSeq = opensOfFirst.stream().mapToLong(o -> o.getCtx().getSeq()).max().orElseThrow();
    // seq counts per CPU, so the CPUs' highest numbers together cover every record of the run
    long firstSeqSpan = opensOfFirst.stream().collect(Collectors.groupingBy(o -> o.getCtx().getCpu(),
        Collectors.summarizingLong(o -> o.getCtx().getSeq()))).values().stream().mapToLong(s -> s.getMax()).sum();
    System.out.printf("crash-restart: first run saw opens %d..%d (%d, %d missing), second %d..%d (%d); gap %d opens (~%.1f s at %d/s); "
            + "duplicates %d (by identity %d); missing in the second run %d (its lostKernel %d); seq first run up to %d, "
            + "second run from %d; the second run spooled %d, produce errors in its health %d%n",
        firstRun.first(), firstRun.last(), firstRun.size(), missingInFirst, secondRun.first(), secondRun.last(), secondRun.size(),
        gap, gap / (double) RATE, RATE, duplicates, sameIdentity, missingInSecond, openHealth.getLostKernel(), firstMaxSeq,
        secondMinSeq, openHealth.getSpooled(), lastOfSecond.getProduceErrors());

    assertThat(duplicates).as("opens delivered twice").isZero();
    assertThat(sameIdentity).as("records in Kafka twice").isZero();
    assertThat(secondRun.first()).as("the second collector saw only opens after the first died").isGreaterThan(firstRun.last());
    assertThat(gap).as("opens made while no collector ran: the gap").isPositive();
    assertThat(secondMinSeq).as("a new collector's BPF objects number events from 1 again, per CPU").isEqualTo(1);
    assertThat(firstMaxSeq).as("the first run numbered well past 1").isGreaterThan(secondMinSeq);
    assertThat(firstSeqSpan).as("per-CPU numbering covers every record of the first run").isGreaterThanOrEqualTo(opensOfFirst.size());
    assertThat(missingInSecond).as("within a run every open is delivered or counted lost")
        .isLessThanOrEqualTo(openHealth.getLostKernel() + openHealth.getRateLimited());
    assertThat(openHealth.getAttempted())
        .isEqualTo(openHealth.getDelivered() + openHealth.getLostKernel() + openHealth.getRateLimited());
  }

  private static List<FileOpen> ours(List<FileOpen> opens, String marks) {
    return opens.stream().filter(o -> o.getPath().startsWith(marks)).toList();
  }

  private static long index(FileOpen o, String marks) {
    return Long.parseLong(o.getPath().substring(marks.length()));
  }
}

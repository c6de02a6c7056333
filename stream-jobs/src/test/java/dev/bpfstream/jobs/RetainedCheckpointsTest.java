package dev.bpfstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import dev.bpfstream.jobs.cli.JobOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RetainedCheckpointsTest {
  @TempDir
  Path dir;

  @Test
  void theNewestCompletedCheckpointOfAnyRunIsChosen() throws IOException {
    completed("job-a/chk-7", 1_000);
    completed("job-b/chk-3", 5_000);
    completed("job-b/chk-2", 4_000);
    Files.createDirectories(dir.resolve("job-b/chk-4")); // being written when the process died: no _metadata
    Files.createDirectories(dir.resolve("job-b/shared"));

    assertThat(RetainedCheckpoints.newest(dir.toUri().toString())).get()
        .satisfies(r -> assertThat(Path.of(r.path().toUri())).isEqualTo(dir.resolve("job-b/chk-3")));
    assertThat(RetainedCheckpoints.all(dir.toUri().toString())).extracting(RetainedCheckpoints.Retained::number)
        .containsExactly(7L, 2L, 3L);
  }

  @Test
  void aMissingOrEmptyDirectoryHasNone() throws IOException {
    assertThat(RetainedCheckpoints.newest(dir.resolve("never-written").toUri().toString())).isEmpty();
    assertThat(RetainedCheckpoints.newest(dir.toUri().toString())).isEmpty();
  }

  @Test
  void pruningKeepsOnlyTheRunRestoredFrom() throws IOException {
    completed("old/chk-1", 1_000);
    completed("new/chk-9", 2_000);
    RetainedCheckpoints.Retained newest = RetainedCheckpoints.newest(dir.toUri().toString()).orElseThrow();

    assertThat(RetainedCheckpoints.pruneAllBut(dir.toUri().toString(), newest)).isEqualTo(1);
    assertThat(dir.resolve("old")).doesNotExist();
    assertThat(dir.resolve("new/chk-9/_metadata")).exists();
  }

  @Test
  void restoreFromLatestPicksTheJobsOwnNewestCheckpoint() throws IOException {
    completed("workload/run-1/chk-4", 3_000);
    completed("latency/run-2/chk-8", 9_000); // another job's, newer: never taken
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Configuration c = options("--restore-from", "latest").flinkConfiguration("workload", new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo(dir.toUri() + "workload");
    assertThat(Path.of(java.net.URI.create(c.get(StateRecoveryOptions.SAVEPOINT_PATH)))).isEqualTo(dir.resolve("workload/run-1/chk-4"));
    assertThat(log.toString(StandardCharsets.UTF_8)).startsWith("workload: restoring from ");
  }

  @Test
  void restoreFromLatestWithoutACheckpointStartsFromTheCommittedOffsetsAndSaysSo() throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Configuration c = options("--restore-from", "latest").flinkConfiguration("latency", new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(c.getOptional(StateRecoveryOptions.SAVEPOINT_PATH)).isEmpty();
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("latency: no completed checkpoint under").contains("committed offsets");
  }

  @Test
  void onAClusterTheJobCheckpointsWhereTheClusterSaysUnlessToldAndLocallyUnderTmp() throws IOException {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    JobOptions untold = new JobOptions();
    new CommandLine(untold).parseArgs("--bootstrap-servers", "127.0.0.1:1");

    Configuration onCluster = untold.flinkConfiguration("workload", quiet, true);
    Configuration local = untold.flinkConfiguration("workload", quiet, false);
    Configuration told = options().flinkConfiguration("workload", quiet, true);

    assertThat(onCluster.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).as("the cluster's state.checkpoints.dir applies").isEmpty();
    assertThat(onCluster.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION)).isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(local.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo(JobOptions.LOCAL_CHECKPOINTS + "/workload");
    assertThat(told.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo(dir.toUri() + "workload");
    assertThatThrownBy(() -> {
      JobOptions latest = new JobOptions();
      new CommandLine(latest).parseArgs("--bootstrap-servers", "127.0.0.1:1", "--restore-from", "latest");
      latest.flinkConfiguration("workload", quiet, true);
    }).hasMessageContaining("needs --checkpoint-dir");
  }

  private JobOptions options(String... args) {
    JobOptions o = new JobOptions();
    String[] all = new String[args.length + 4];
    all[0] = "--bootstrap-servers";
    all[1] = "127.0.0.1:1";
    all[2] = "--checkpoint-dir";
    all[3] = dir.toUri().toString();
    System.arraycopy(args, 0, all, 4, args.length);
    new CommandLine(o).parseArgs(all);
    return o;
  }

  private void completed(String chk, long writtenMs) throws IOException {
    Path metadata = Files.createDirectories(dir.resolve(chk)).resolve("_metadata");
    Files.write(metadata, new byte[] {1});
    Files.setLastModifiedTime(metadata, FileTime.fromMillis(writtenMs));
  }
}

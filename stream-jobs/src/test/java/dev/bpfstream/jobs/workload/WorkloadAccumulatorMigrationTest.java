package dev.bpfstream.jobs.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;

import dev.bpfstream.event.CommandEntry;
import dev.bpfstream.event.TopEntry;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * State written before the top commands (format 1) restores into the current job, its commands made
 * from the top processes it kept (without executable paths): the files under
 * {@code state/} were written by the WorkloadAccumulatorSerializer of commit 354a5bd (3 exec+exit
 * of {@code true}, a failed open in container-1, a block write, a TCP connect and a profile sample,
 * host-a, window 60 s + 10 s, 3 events lost), with the snapshot Flink recorded beside it.
 */
class WorkloadAccumulatorMigrationTest {

  @Test
  void stateOfFormat1IsMigratedWithCommandsFromItsTopProcesses() throws Exception {
    TypeSerializerSnapshot<WorkloadAccumulator> old = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(resource("workload-accumulator-v1.snapshot")), getClass().getClassLoader());
    assertThat(old).isInstanceOf(WorkloadAccumulatorSerializer.Snapshot.class);
    assertThat(WorkloadAccumulatorSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old)
        .isCompatibleAfterMigration()).isTrue();

    WorkloadAccumulator a = old.restoreSerializer().deserialize(new DataInputDeserializer(resource("workload-accumulator-v1.bin")));
    assertThat(a.hostId()).isEqualTo("host-a");
    assertThat(a.windowStartMs()).isEqualTo(60_000);
    assertThat(a.lostEvents()).isEqualTo(3);
    assertThat(a.eventCount()).isEqualTo(10);
    assertThat(a.total().get(Counter.EXECS)).isEqualTo(3);
    assertThat(a.total().get(Counter.CPU_SAMPLES)).isEqualTo(7);
    assertThat(a.total().processes.top(1)).startsWith(new TopEntry("true/100", 2L, 0L, 0L));
    assertThat(a.groups()).containsOnlyKeys("namespace:pid:4026531836", "container:container-1");
    assertThat(a.total().commands.top(10)).containsExactly(new CommandEntry("true", "", 3L, 6L, 0L, 0L),
        new CommandEntry("cat", "", 1L, 1L, 0L, 0L), new CommandEntry("curl", "", 1L, 1L, 0L, 0L),
        new CommandEntry("dd", "", 1L, 1L, 4096L, 0L), new CommandEntry("java", "", 1L, 0L, 0L, 7L));
    assertThat(a.groups().get("container:container-1").commands.top(10)).containsExactly(new CommandEntry("cat", "", 1L, 1L, 0L, 0L));

    // Written again in the current format, it reads back whole; an exec brings the command's executable.
    WorkloadObservation exec = new WorkloadObservation();
    exec.kind = WorkloadObservation.Kind.EXEC;
    exec.comm = "true";
    exec.pid = 104;
    exec.exe = "/usr/bin/true";
    exec.pidNs = 4026531836L;
    a.add(exec);
    DataOutputSerializer out = new DataOutputSerializer(2048);
    WorkloadAccumulatorSerializer.INSTANCE.serialize(a, out);
    WorkloadAccumulator back = WorkloadAccumulatorSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.eventCount()).isEqualTo(11);
    assertThat(back.total().commands.top(1)).startsWith(new CommandEntry("true", "/usr/bin/true", 4L, 7L, 0L, 0L));
    assertThat(back.groups().get("namespace:pid:4026531836").commands.top(1))
        .startsWith(new CommandEntry("true", "/usr/bin/true", 4L, 7L, 0L, 0L));
  }

  @Test
  void stateOfTheCurrentFormatIsCompatibleAsIs() throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, WorkloadAccumulatorSerializer.INSTANCE.snapshotConfiguration());
    TypeSerializerSnapshot<WorkloadAccumulator> current = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    assertThat(current.restoreSerializer()).isSameAs(WorkloadAccumulatorSerializer.INSTANCE);
    assertThat(WorkloadAccumulatorSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(current)
        .isCompatibleAsIs()).isTrue();
  }

  private byte[] resource(String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/state/" + name)) {
      return in.readAllBytes();
    }
  }
}

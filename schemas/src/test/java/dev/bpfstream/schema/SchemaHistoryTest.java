package dev.bpfstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

class SchemaHistoryTest {

  @Test
  void everyCurrentSchemaIsTheNewestRecordedVersion() {
    List<String> unrecorded = new ArrayList<>();
    for (Topic t : Topic.values()) {
      List<Schema> history = SchemaStore.history(t.schema().getName());
      if (history.isEmpty()
          || SchemaStore.fingerprint(history.get(history.size() - 1)) != SchemaStore.fingerprint(t.schema())) {
        unrecorded.add(t.schema().getName());
      }
    }
    assertThat(unrecorded)
        .as("schemas changed without being recorded; run: mvn -q -pl schemas compile exec:java "
            + "-Dexec.mainClass=dev.bpfstream.schema.SchemaHistory")
        .isEmpty();
  }

  @Test
  void everyRecordedVersionAndTheCurrentOneReadEachOther() {
    List<String> problems = new ArrayList<>();
    for (Topic t : Topic.values()) {
      Schema current = t.schema();
      for (Schema old : SchemaStore.history(current.getName())) {
        check(current, old, "current reads " + SchemaStore.fingerprint(old), problems);
        check(old, current, "version " + SchemaStore.fingerprint(old) + " reads current", problems);
      }
    }
    assertThat(problems).as("a shipped schema version must stay readable both ways (add fields with defaults only)").isEmpty();
  }

  @Test
  void theShippedStoreFindsEveryRecordedVersion() {
    for (Topic t : Topic.values()) {
      for (Schema s : SchemaStore.history(t.schema().getName())) {
        assertThat(SchemaStore.shipped().findByFingerprint(SchemaStore.fingerprint(s))).isEqualTo(s);
      }
    }
  }

  @Test
  void eachTopicNameAndRecordTypeIsUsedOnce() {
    assertThat(java.util.Arrays.stream(Topic.values()).map(Topic::topicName).distinct().count())
        .isEqualTo(Topic.values().length);
    for (Topic t : Topic.values()) {
      assertThat(Topic.byName(t.topicName())).isEqualTo(t);
      assertThat(Topic.forType(t.recordType())).isEqualTo(t);
    }
  }

  private static void check(Schema reader, Schema writer, String what, List<String> problems) {
    var c = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (c.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      problems.add(reader.getName() + ": " + what + ": " + c.getDescription());
    }
  }
}
